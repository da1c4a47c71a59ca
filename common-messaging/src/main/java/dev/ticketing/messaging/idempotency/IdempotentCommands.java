package dev.ticketing.messaging.idempotency;

import dev.ticketing.web.ProblemCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.web.IdempotencyHeaders;
import dev.ticketing.web.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs commands (R1, B2, P1) in one transaction each, honouring an optional {@code Idempotency-Key}
 * (DESIGN section 3).
 * <p>
 * With a key, a record for (user, scope, key) is claimed first in a short transaction of its own,
 * so a concurrent duplicate sees it and answers 409 {@code IDEMPOTENCY_IN_PROGRESS}. The command
 * then runs in a transaction that also stores its response in that record: the effect and the
 * response to replay commit together or not at all, so a crash can never leave an applied
 * command without its replay (which would let a retry apply it twice). A refusal (4xx
 * {@link ApiException}) is stored for replay too, except 409 in progress and 429; any other
 * failure removes the claim, so the client may retry.
 * <p>
 * A claim unfinished after {@code staleClaim} may be taken over by a retry. Each claim carries a fencing
 * token ({@code claim_id}) that a takeover replaces, and an execution completes or releases the record only
 * while it holds its own: of a stalled first execution and the retry that took it over, only one commits,
 * whatever the clocks of the instances that judged the claim stale.
 * <p>
 * A command that loses a deadlock (or times out waiting for a row lock) is retried once in a
 * fresh transaction; a second loss is rethrown for the caller to answer.
 */
public class IdempotentCommands {

    public static final String HEADER = IdempotencyHeaders.KEY;
    public static final String REPLAYED_HEADER = IdempotencyHeaders.REPLAYED;

    private static final Logger log = LoggerFactory.getLogger(IdempotentCommands.class);
    private static final int MAX_KEY_LENGTH = 255;
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .findAndAddModules()
            .build();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper responses;
    private final Clock clock;
    private final Duration replayWindow;
    private final Duration staleClaim;

    /**
     * @param responses    writes response bodies as the web layer would (the application's mapper)
     * @param replayWindow how long a key replays its first response (24 h in the contract)
     * @param staleClaim   after how long an unfinished claim (its process died before the command
     *                     ran) may be taken over; longer than any command can run
     */
    public IdempotentCommands(JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper responses, Clock clock,
                              Duration replayWindow, Duration staleClaim) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.responses = responses;
        this.clock = clock;
        this.replayWindow = replayWindow;
        this.staleClaim = staleClaim;
    }

    /**
     * Runs {@code command} inside a transaction (the command's own transactional code joins it).
     *
     * @param userId  the user the key is scoped to
     * @param scope   method and route, e.g. {@code "POST /reservations"}
     * @param key     the client's Idempotency-Key header, or null for none
     * @param request the parsed request body; its canonical JSON decides "the same body"
     */
    public ResponseEntity<?> run(long userId, String scope, String key, Object request,
                                 Supplier<ResponseEntity<?>> command) {
        if (key == null) {
            return withOneRetry(() -> tx.execute(s -> command.get()));
        }
        validateKey(key);
        String hash = requestHash(request);
        Claim claim = claim(userId, scope, key, hash);
        if (claim.replay() != null) {
            return claim.replay();
        }
        String claimId = claim.claimId();
        try {
            return withOneRetry(() -> tx.execute(s -> {
                ResponseEntity<?> response = command.get();
                if (!complete(userId, scope, key, claimId, response.getStatusCode().value(), contentType(response),
                        write(response.getBody()))) {
                    // A retry took the claim over while this ran: its execution is the one that counts, so this
                    // one rolls back, and its client, retrying, gets that answer.
                    throw takenOver();
                }
                return response;
            }));
        } catch (ApiException refusal) {
            if (storable(refusal)) {
                ProblemDetail problem = Problems.of(refusal.code(), refusal.getMessage());
                refusal.properties().forEach(problem::setProperty);
                problem.setInstance(currentPath());
                tx.executeWithoutResult(s -> complete(userId, scope, key, claimId, refusal.status().value(),
                        MediaType.APPLICATION_PROBLEM_JSON_VALUE, write(problem)));
            } else {
                release(userId, scope, key, claimId);
            }
            throw refusal;
        } catch (RuntimeException | Error failure) {
            release(userId, scope, key, claimId);
            throw failure;
        }
    }

    /** Removes records older than the replay window; returns how many. */
    public int purgeExpired() {
        LocalDateTime cutoff = utc(clock.instant().minus(replayWindow));
        int total = 0;
        int n;
        do {
            n = jdbc.update("DELETE FROM idempotency_record WHERE created_at < ? ORDER BY created_at LIMIT 10000", cutoff);
            total += n;
        } while (n == 10_000);
        return total;
    }

    private static void validateKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.invalidRequest(HEADER + " must be 1 to 255 visible ASCII characters");
        }
    }

    private Claim claim(long userId, String scope, String key, String hash) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Instant now = clock.instant();
            try {
                String claimId = UUID.randomUUID().toString();
                jdbc.update("INSERT INTO idempotency_record (user_id, scope, idem_key, request_hash, state, created_at, claim_id) "
                        + "VALUES (?, ?, ?, ?, 'IN_PROGRESS', ?, ?)", userId, scope, key, hash, utc(now), claimId);
                return Claim.claimed(claimId);
            } catch (DuplicateKeyException taken) {
                List<Stored> rows = jdbc.query("SELECT request_hash, state, response_status, response_type, response_body, "
                                + "created_at, claim_id FROM idempotency_record WHERE user_id = ? AND scope = ? AND idem_key = ?",
                        (rs, i) -> new Stored(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                                rs.getString(5), rs.getObject(6, LocalDateTime.class), rs.getString(7)),
                        userId, scope, key);
                if (rows.isEmpty()) {
                    continue; // released or purged meanwhile: claim again
                }
                Stored stored = rows.get(0);
                Instant createdAt = stored.createdAt().toInstant(ZoneOffset.UTC);
                if (!createdAt.plus(replayWindow).isAfter(now)) {
                    // Past the replay window: the key is free again.
                    jdbc.update("DELETE FROM idempotency_record WHERE user_id = ? AND scope = ? AND idem_key = ? "
                            + "AND created_at = ?", userId, scope, key, stored.createdAt());
                    continue;
                }
                if (!stored.requestHash().equals(hash)) {
                    throw new ApiException(ProblemCode.IDEMPOTENCY_KEY_REUSED,
                            "this " + HEADER + " was used with a different request body");
                }
                if ("COMPLETED".equals(stored.state())) {
                    return new Claim(ResponseEntity.status(stored.status())
                            .header(HttpHeaders.CONTENT_TYPE, stored.contentType())
                            .header(REPLAYED_HEADER, "true")
                            .body(stored.body()));
                }
                // A claim older than any command should run is taken to be abandoned (its process died). If its
                // execution is in fact still running, it can no longer complete: the claim is no longer its own.
                String takeover = UUID.randomUUID().toString();
                if (!createdAt.plus(staleClaim).isAfter(now)
                        && jdbc.update("UPDATE idempotency_record SET created_at = ?, claim_id = ? WHERE user_id = ? "
                        + "AND scope = ? AND idem_key = ? AND state = 'IN_PROGRESS' AND created_at = ? AND claim_id <=> ?",
                        utc(now), takeover, userId, scope, key, stored.createdAt(), stored.claimId()) == 1) {
                    log.warn("Took over a stalled or abandoned {} claim of user {} on {}", HEADER, userId, scope);
                    return Claim.claimed(takeover);
                }
                throw new ApiException(ProblemCode.IDEMPOTENCY_IN_PROGRESS,
                        "a request with this " + HEADER + " is still being processed; retry shortly");
            }
        }
        throw new ApiException(ProblemCode.IDEMPOTENCY_IN_PROGRESS,
                "a request with this " + HEADER + " is still being processed; retry shortly");
    }

    /**
     * Stores the answer, in the caller's transaction, if the claim is still this execution's; false if a retry
     * took it over (then nothing is written, and the caller must not commit its command).
     */
    private boolean complete(long userId, String scope, String key, String claimId, int status, String contentType,
                             String body) {
        return jdbc.update("UPDATE idempotency_record SET state = 'COMPLETED', response_status = ?, response_type = ?, "
                        + "response_body = ? WHERE user_id = ? AND scope = ? AND idem_key = ? AND state = 'IN_PROGRESS' "
                        + "AND claim_id = ?",
                status, contentType, body, userId, scope, key, claimId) == 1;
    }

    private static ApiException takenOver() {
        return new ApiException(ProblemCode.IDEMPOTENCY_IN_PROGRESS,
                "a retry with this " + HEADER + " took this request over; retry shortly for its answer");
    }

    /** Removes this execution's claim, so the client may retry; a claim a retry took over is not this one's. */
    private void release(long userId, String scope, String key, String claimId) {
        try {
            jdbc.update("DELETE FROM idempotency_record WHERE user_id = ? AND scope = ? AND idem_key = ? "
                    + "AND state = 'IN_PROGRESS' AND claim_id = ?", userId, scope, key, claimId);
        } catch (RuntimeException e) {
            // The database is failing too; the claim becomes stale and is taken over later.
            log.warn("Could not release an {} claim: {}", HEADER, e.toString());
        }
    }

    /** The web layer fills a problem's instance with the request path; the replay must match. */
    private static URI currentPath() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return URI.create(attributes.getRequest().getRequestURI());
        }
        return null;
    }

    private static boolean storable(ApiException refusal) {
        int status = refusal.status().value();
        return status >= 400 && status < 500 && status != 429
                && refusal.code() != ProblemCode.IDEMPOTENCY_IN_PROGRESS;
    }

    private static ResponseEntity<?> withOneRetry(Supplier<ResponseEntity<?>> attempt) {
        try {
            return attempt.get();
        } catch (PessimisticLockingFailureException lockLoser) {
            log.debug("Retrying a command that lost a lock: {}", lockLoser.toString());
            return attempt.get();
        }
    }

    private static String contentType(ResponseEntity<?> response) {
        MediaType type = response.getHeaders().getContentType();
        return (type != null ? type : MediaType.APPLICATION_JSON).toString();
    }

    private String write(Object body) {
        try {
            return body == null ? null : responses.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Response not serialisable for replay", e);
        }
    }

    /**
     * SHA-256 of the request's canonical JSON (members sorted by name): requests that differ only
     * in member order or whitespace are the same request.
     */
    public static String requestHash(Object request) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(CANONICAL.valueToTree(request));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Request not hashable", e);
        }
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private record Stored(String requestHash, String state, int status, String contentType, String body,
                          LocalDateTime createdAt, String claimId) {
    }

    /** Either the stored answer to replay, or the claim this execution holds. */
    private record Claim(ResponseEntity<?> replay, String claimId) {
        Claim(ResponseEntity<?> replay) {
            this(replay, null);
        }

        static Claim claimed(String claimId) {
            return new Claim(null, claimId);
        }
    }
}
