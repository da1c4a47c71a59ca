package dev.ticketing.messaging.web;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;

import static org.assertj.core.api.Assertions.assertThat;

/** How failures that reach no dedicated handler are answered: a database gone mid-request is 503, a bug 500. */
class ProblemAdviceTest {

    private final ProblemAdvice advice = new ProblemAdvice();

    @Test
    void aConnectionLostInTheMiddleOfAStatementIsServiceUnavailable() {
        // What Spring reports when MariaDB goes away while a statement or the commit is under way.
        RuntimeException midStatement = new UncategorizedSQLException("insert", "INSERT INTO outbox_event ...",
                new SQLRecoverableException("Communications link failure"));
        TransactionSystemException midCommit = new TransactionSystemException("Could not commit JPA transaction",
                new RuntimeException(new SQLNonTransientConnectionException("Connection is closed", "08003")));

        for (Exception e : new Exception[] {midStatement, midCommit}) {
            ResponseEntity<ProblemDetail> answer = advice.unexpected(e);
            assertThat(answer.getStatusCode().value()).as("%s", e).isEqualTo(503);
            assertThat(answer.getBody().getProperties()).containsEntry("code", "SERVICE_UNAVAILABLE");
            assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        }
    }

    @Test
    void anythingElseIsAnInternalError() {
        ResponseEntity<ProblemDetail> answer = advice.unexpected(new IllegalStateException("a bug"));
        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getBody().getProperties()).containsEntry("code", "INTERNAL_ERROR");
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNull();
    }
}
