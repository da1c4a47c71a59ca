package dev.ticketing.messaging.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.ticketing.messaging.schema.MessagingSchema;
import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.testsupport.MutableClock;
import dev.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An Idempotency-Key whose first request stalls past the stale-claim time (lock waits, a failover) is taken over by
 * a retry with the same key. Whatever the clocks say, at most one of the two executions commits, the stored answer
 * is the one that committed, and the first request's end (success or failure) never touches the retry's claim.
 * On a real MariaDB, wired by hand; the clock is moved forward instead of waiting a minute.
 */
class IdempotentCommandsIntegrationTest {

    private static final Duration STALE_CLAIM = Duration.ofMinutes(1);
    private static final String SCOPE = "POST /balance/charges";
    private static final Map<String, Object> REQUEST = Map.of("amount", 500);

    private static HikariDataSource dataSource;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate tx;
    private final MutableClock clock = MutableClock.startingNow();
    private final IdempotentCommands commands = new IdempotentCommands(jdbc, tx, new ObjectMapper(), clock,
            Duration.ofHours(24), STALE_CLAIM);
    private final ExecutorService requests = Executors.newCachedThreadPool();

    @BeforeAll
    static void database() {
        dataSource = TestDatabase.shared().newSchema("idempotency_takeover").dataSource(10);
        MessagingSchema.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE execution (user_id BIGINT NOT NULL, name VARCHAR(16) NOT NULL)");
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Test
    void aRetryThatTakesOverAStalledFirstRequestIsTheOnlyExecutionThatCommits() throws Exception {
        long user = newUser();
        Stalled first = stalled(user, "first", false);
        first.awaitInside();
        clock.advance(STALE_CLAIM.plusSeconds(1)); // the first request has stalled past the stale-claim time

        ResponseEntity<?> retry = commands.run(user, SCOPE, "key", REQUEST, () -> execute(user, "retry"));
        first.letFinish();

        assertThat(retry.getStatusCode().value()).isEqualTo(201);
        assertThatThrownBy(first.answer::get).as("the first request, whose claim was taken over")
                .hasCauseInstanceOf(ApiException.class)
                .cause().satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(dev.ticketing.web.ProblemCode.IDEMPOTENCY_IN_PROGRESS));
        assertThat(executions(user)).as("executions that committed").isEqualTo("retry");
        ResponseEntity<?> replay = commands.run(user, SCOPE, "key", REQUEST, () -> execute(user, "third"));
        assertThat(replay.getHeaders().getFirst(IdempotentCommands.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(replay.getBody()).isEqualTo("\"retry\"");
        assertThat(executions(user)).isEqualTo("retry");
    }

    @Test
    void aStalledFirstRequestThatFailsLeavesTheRetrysClaimAlone() throws Exception {
        long user = newUser();
        Stalled first = stalled(user, "first", true);
        first.awaitInside();
        clock.advance(STALE_CLAIM.plusSeconds(1));
        Stalled retry = stalled(user, "retry", false);
        retry.awaitInside();

        first.letFinish(); // fails, and lets its claim go
        assertThatThrownBy(first.answer::get).hasRootCauseMessage("the first request failed");
        retry.letFinish();

        ResponseEntity<?> answer = retry.answer.get(30, TimeUnit.SECONDS);
        assertThat(answer.getStatusCode().value()).isEqualTo(201);
        assertThat(executions(user)).isEqualTo("retry");
        assertThat(jdbc.queryForObject("SELECT state FROM idempotency_record WHERE user_id = ?", String.class, user))
                .isEqualTo("COMPLETED");
    }

    /** A request whose command records its execution, then waits inside its transaction until told to finish. */
    private Stalled stalled(long user, String name, boolean fails) {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Future<ResponseEntity<?>> answer = requests.submit(() -> commands.run(user, SCOPE, "key", REQUEST, () -> {
            ResponseEntity<?> response = execute(user, name);
            inside.countDown();
            await(finish);
            if (fails) {
                throw new IllegalStateException("the first request failed");
            }
            return response;
        }));
        return new Stalled(inside, finish, answer);
    }

    private record Stalled(CountDownLatch inside, CountDownLatch finish, Future<ResponseEntity<?>> answer) {

        void awaitInside() throws InterruptedException {
            assertThat(inside.await(30, TimeUnit.SECONDS)).as("the request is running its command").isTrue();
        }

        void letFinish() {
            finish.countDown();
        }
    }

    private static ResponseEntity<?> execute(long user, String name) {
        jdbc.update("INSERT INTO execution (user_id, name) VALUES (?, ?)", user, name);
        return ResponseEntity.status(201).body(name);
    }

    private static String executions(long user) {
        return String.join(",", jdbc.queryForList("SELECT name FROM execution WHERE user_id = ? ORDER BY name", String.class, user));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long newUser() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }
}
