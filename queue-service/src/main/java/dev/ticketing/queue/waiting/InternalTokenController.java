package dev.ticketing.queue.waiting;

import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.queue.token.QueueToken;
import dev.ticketing.queue.token.QueueTokenRepository;
import dev.ticketing.queue.token.TokenStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** The gateway's status check for admitted routes. Inside only: the gateway never routes /internal/**. */
@RestController
class InternalTokenController {

    private final QueueTokenRepository tokens;
    private final Clock clock;

    InternalTokenController(QueueTokenRepository tokens, Clock clock) {
        this.tokens = tokens;
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

    private static boolean isUuid(String text) {
        try {
            return UUID.fromString(text).toString().equalsIgnoreCase(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    record TokenStatusView(String tokenId, long userId, TokenStatus status, Instant activeUntil) {
    }
}
