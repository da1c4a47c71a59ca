package dev.ticketing.queue.waiting;

import dev.ticketing.web.ProblemCode;
import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.queue.admission.QueueMonitor;
import dev.ticketing.queue.admission.QueueSettings;
import dev.ticketing.queue.admission.QueueSnapshot;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The gateway's status check for admitted routes, one token or a batch of them, and the status
 * polls and joins it answers in batches. Inside only: the gateway never routes /internal/**.
 */
@RestController
class InternalTokenController {

    private final QueueTokenRepository tokens;
    private final TokenStatuses statuses;
    private final QueueJoining joining;
    private final QueueMonitor monitor;
    private final QueueSettings settings;
    private final Clock clock;

    InternalTokenController(QueueTokenRepository tokens, TokenStatuses statuses, QueueJoining joining,
                            QueueMonitor monitor, QueueSettings settings, Clock clock) {
        this.tokens = tokens;
        this.statuses = statuses;
        this.joining = joining;
        this.monitor = monitor;
        this.settings = settings;
        this.clock = clock;
    }

    @GetMapping(path = "/internal/tokens/{tokenId}", produces = MediaType.APPLICATION_JSON_VALUE)
    TokenStatusView status(@PathVariable String tokenId) {
        if (!isUuid(tokenId)) {
            throw new ApiException(ProblemCode.NOT_FOUND, "no such token");
        }
        QueueToken token = tokens.findByTokenId(tokenId)
                .orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND, "no such token"));
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
        List<String> ids = question.validIds();
        Instant now = clock.instant();
        List<TokenStatusView> found = ids.isEmpty() ? List.of() : statuses.find(ids, now).stream()
                .map(s -> new TokenStatusView(s.tokenId(), s.userId(), s.status(), s.activeUntil()))
                .toList();
        return new BatchAnswer(found);
    }

    /**
     * Status polls (Q2) of many tokens in one call, which the gateway answers them from: each known
     * token's view exactly as {@code GET /api/v1/queue/status} gives it, with the pause before the next
     * poll that Q2 sends as {@code Retry-After}, and each poll recorded as
     * the holder's last sign of life where due, in one query and at most one update. Unknown (or
     * malformed) ids are left out of the answer.
     */
    @PostMapping(path = "/internal/tokens/polls", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    PollAnswer polls(@RequestBody BatchQuestion question) {
        List<String> ids = question.validIds();
        if (ids.isEmpty()) {
            return new PollAnswer(List.of());
        }
        Map<String, TokenStatuses.Polled> found = statuses.poll(ids, clock.instant(), settings.lastSeenInterval());
        QueueSnapshot queue = monitor.fresh();
        return new PollAnswer(found.entrySet().stream()
                .map(token -> PolledView.of(token.getKey(), TokenView.of(token.getValue(), queue)))
                .toList());
    }

    /**
     * Joins (Q1) of many users in one call, which the gateway answers them from: in the order asked,
     * each the token view Q1 answers with and whether it was issued now (201) or is the user's live
     * token (200), or {@code view} null where that join failed (the gateway answers it 503). Each
     * join keeps the trace of the client's request it stands for, on its QueueTokenIssued event.
     */
    @PostMapping(path = "/internal/tokens/joins", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    JoinAnswer joins(@RequestBody JoinQuestion question) {
        if (question.joins() == null || question.joins().isEmpty() || question.joins().size() > MAX_BATCH
                || question.joins().stream().anyMatch(j -> j == null || j.userId() == null || j.userId() <= 0)) {
            throw ApiException.invalidRequest("joins must list 1 to " + MAX_BATCH + " joins, each with a positive userId");
        }
        List<QueueJoining.Joined> joined = joining.joinAll(
                question.joins().stream().map(JoinQuestion.Join::userId).toList(),
                question.joins().stream().map(j -> TRACEPARENT.matcher(String.valueOf(j.traceparent())).matches()
                        ? j.traceparent() : null).toList());
        QueueSnapshot queue = monitor.fresh();
        List<JoinedView> answers = new ArrayList<>(joined.size());
        for (int i = 0; i < joined.size(); i++) {
            QueueJoining.Joined one = joined.get(i);
            answers.add(one == null
                    ? new JoinedView(question.joins().get(i).userId(), false, null)
                    : new JoinedView(one.token().userId(), one.created(), TokenView.of(one.token(), queue)));
        }
        return new JoinAnswer(answers);
    }

    /** W3C trace context, version 00. */
    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    record JoinQuestion(List<Join> joins) {

        record Join(Long userId, String traceparent) {
        }
    }

    record JoinAnswer(List<JoinedView> joins) {
    }

    record JoinedView(long userId, boolean created, TokenView view) {
    }

    private static final int MAX_BATCH = 500;

    record BatchQuestion(List<String> tokenIds) {

        /** The well-formed ids, each once; 400 for a missing or too long list. */
        List<String> validIds() {
            if (tokenIds == null || tokenIds.size() > MAX_BATCH) {
                throw ApiException.invalidRequest("tokenIds must list at most " + MAX_BATCH + " token ids");
            }
            return tokenIds.stream().filter(InternalTokenController::isUuid).distinct().toList();
        }
    }

    record PollAnswer(List<PolledView> views) {
    }

    /** A token's view, and how long its holder should wait before polling again (null: no need to). */
    record PolledView(String tokenId, TokenView view, Integer pollAfterSeconds) {

        static PolledView of(String tokenId, TokenView view) {
            return new PolledView(tokenId, view, view.pollAfterSeconds());
        }
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
