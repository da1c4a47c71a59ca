package dev.ticketing.queue.waiting;

import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.queue.token.QueueToken;
import dev.ticketing.queue.token.QueueTokenRepository;
import dev.ticketing.queue.token.TokenStatus;
import dev.ticketing.queue.token.TokenStatuses;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The gateway's status check for admitted routes, one token or a batch of them. Inside only: the
 * gateway never routes /internal/**.
 */
@RestController
class InternalTokenController {

    private final QueueTokenRepository tokens;
    private final TokenStatuses statuses;
    private final Clock clock;

    InternalTokenController(QueueTokenRepository tokens, TokenStatuses statuses, Clock clock) {
        this.tokens = tokens;
        this.statuses = statuses;
        this.clock = clock;
    }

    @GetMapping(path = "/internal/tokens/{tokenId}", produces = MediaType.APPLICATION_JSON_VALUE)
    TokenStatusView status(@PathVariable String tokenId) {
        if (!isUuid(tokenId)) {
            throw ApiException.notFound("NOT_FOUND", "no such token");
        }
        QueueToken token = tokens.findByTokenId(tokenId)
                .orElseThrow(() -> ApiException.notFound("NOT_FOUND", "no such token"));
        Instant now = clock.instant();
        return new TokenStatusView(token.tokenId(), token.userId(), token.statusAt(now), token.activeUntilAt(now));
    }

    /**
     * Many tokens in one call and one query: the gateway batches the lookups of a busy moment, so a
     * sell-out's thousands of admitted clients cost tens of calls a second, not thousands. Unknown
     * (or malformed) ids are left out of the answer.
     */
    @PostMapping(path = "/internal/tokens/statuses", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    BatchAnswer statuses(@RequestBody BatchQuestion question) {
        if (question.tokenIds() == null || question.tokenIds().size() > MAX_BATCH) {
            throw ApiException.invalidRequest("tokenIds must list at most " + MAX_BATCH + " token ids");
        }
        List<String> ids = question.tokenIds().stream().filter(InternalTokenController::isUuid).distinct().toList();
        Instant now = clock.instant();
        List<TokenStatusView> found = ids.isEmpty() ? List.of() : statuses.find(ids, now).stream()
                .map(s -> new TokenStatusView(s.tokenId(), s.userId(), s.status(), s.activeUntil()))
                .toList();
        return new BatchAnswer(found);
    }

    private static final int MAX_BATCH = 500;

    record BatchQuestion(List<String> tokenIds) {
    }

    record BatchAnswer(List<TokenStatusView> tokens) {
    }

    private static boolean isUuid(String text) {
        try {
            return text != null && UUID.fromString(text).toString().equalsIgnoreCase(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    record TokenStatusView(String tokenId, long userId, TokenStatus status, Instant activeUntil) {
    }
}
