package dev.ticketing.queue.waiting;

import dev.ticketing.web.IdentityHeaders;
import dev.ticketing.web.ProblemCode;
import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.messaging.web.openapi.Access;
import dev.ticketing.messaging.web.openapi.PublicApi;
import dev.ticketing.queue.admission.QueueMonitor;
import dev.ticketing.queue.admission.QueueSettings;
import dev.ticketing.queue.token.TokenStatuses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.List;

/** Q1 join and Q2 status (DESIGN section 3). */
@RestController
@RequestMapping(path = "/api/v1/queue", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Queue", description = "Joining the waiting queue, and one's place in it")
class QueueController {

    private final QueueJoining joining;
    private final TokenStatuses statuses;
    private final QueueMonitor monitor;
    private final QueueSettings settings;
    private final Clock clock;

    QueueController(QueueJoining joining, TokenStatuses statuses, QueueMonitor monitor, QueueSettings settings,
                    Clock clock) {
        this.joining = joining;
        this.statuses = statuses;
        this.monitor = monitor;
        this.settings = settings;
        this.clock = clock;
    }

    @PostMapping(path = "/tokens", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PublicApi(access = Access.OPEN)
    @Operation(summary = "Join the queue (Q1)", description = """
            Issues a queue token for the user, WAITING at the end of the queue. A user who already has a \
            live (WAITING or ACTIVE) token gets that one again instead. The token is what every other \
            route wants in `Queue-Token`.""")
    @ApiResponse(responseCode = "201", description = "a new token",
            content = @Content(schema = @Schema(implementation = TokenView.class)))
    @ApiResponse(responseCode = "200", description = "the user's live token: the same `token` as first issued",
            content = @Content(schema = @Schema(implementation = TokenView.class)))
    ResponseEntity<TokenView> join(@Valid @RequestBody JoinRequest request) {
        QueueJoining.Joined joined = joining.join(request.userId());
        TokenView view = TokenView.of(joined.token(), monitor.fresh());
        return ResponseEntity.status(joined.created() ? HttpStatus.CREATED : HttpStatus.OK).body(view);
    }

    /** The gateway has verified the token and names it in {@code X-Queue-Token-Id}. */
    @GetMapping("/status")
    @PublicApi(access = Access.IDENTIFIED)
    @Operation(summary = "Read the token's place in the queue (Q2)", description = """
            The view of the token in `Queue-Token`: WAITING with its position and estimated wait, ACTIVE \
            until `activeUntil`, or EXPIRED. Poll it while waiting, as often as `Retry-After` says.""")
    @ApiResponse(responseCode = "200", description = "the token's view", headers = @Header(name = "Retry-After",
            description = "while WAITING: seconds to wait before polling again (2 to 30, about a tenth of the estimated "
                    + "wait; 10 while the queue is paused); absent once ACTIVE or EXPIRED",
            schema = @Schema(type = "integer", minimum = "2", maximum = "30")))
    ResponseEntity<TokenView> status(@RequestHeader(name = IdentityHeaders.TOKEN_ID, required = false) String tokenId,
                     @RequestHeader(name = IdentityHeaders.USER_ID, required = false) Long userId) {
        if (tokenId == null) {
            throw new ApiException(ProblemCode.TOKEN_MISSING, "a queue token is required");
        }
        // The same read and last-seen rule as the gateway's batched polls (/internal/tokens/polls).
        TokenStatuses.Polled token = statuses.poll(List.of(tokenId), clock.instant(), settings.lastSeenInterval()).get(tokenId);
        if (token == null) {
            throw new ApiException(ProblemCode.TOKEN_INVALID, "unknown queue token");
        }
        if (userId != null && userId != token.userId()) {
            throw new ApiException(ProblemCode.FORBIDDEN, "the token belongs to another user");
        }
        TokenView view = TokenView.of(token, monitor.fresh());
        Integer pollAfter = view.pollAfterSeconds();
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (pollAfter != null) {
            answer.header(HttpHeaders.RETRY_AFTER, pollAfter.toString());
        }
        return answer.body(view);
    }

    record JoinRequest(
            @Schema(description = "who joins", minimum = "1", example = "7")
            @NotNull(message = "is required") @Positive(message = "must be a positive integer") Long userId) {
    }
}
