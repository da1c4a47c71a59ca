package dev.ticketing.gateway.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks a queue token locally, with public keys only and no call to any service (DESIGN
 * section 4): ES256 and nothing else (so neither {@code none} nor an HMAC keyed with the public
 * key), a known {@code kid}, a valid signature, {@code exp} not passed, and well-formed
 * {@code jti} and {@code sub}.
 */
@Component
public class TokenVerifier {

    private static final Logger log = LoggerFactory.getLogger(TokenVerifier.class);
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern POSITIVE_INTEGER = Pattern.compile("[1-9][0-9]{0,18}");

    /**
     * Tokens whose signature checked out, by their exact text. An ES256 check costs about 2 ms of
     * CPU on JDK 17 (measured: docs/performance.md) and a holder polls with the same token again
     * and again; the same bytes verify the same way every time, so only {@code exp} is checked
     * again.
     */
    private static final int VERIFIED_CACHE_SIZE = 20_000;
    /**
     * Tokens refused, by their exact text, so that the same forged or expired token sent again (from any
     * address) is refused without another check. A flood of tokens that differ is the rate limiter's: it
     * refuses an address's unchecked tokens once its checks keep failing (EdgeChecks). Bounded by the
     * characters kept, not by count: a client chooses the text, up to the header size limit, and 10,000
     * tokens of 8 KB would take a large part of the gateway's heap. 4 million characters hold about 10,000
     * tokens of the real size (about 370 characters).
     */
    private static final long REFUSED_CACHE_CHARACTERS = 4_000_000;

    private final Map<String, JWSVerifier> verifiers;
    private final Clock clock;
    private final Cache<String, QueueToken> verified = Caffeine.newBuilder()
            .maximumSize(VERIFIED_CACHE_SIZE)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    private final Cache<String, Boolean> refused = Caffeine.newBuilder()
            .maximumWeight(REFUSED_CACHE_CHARACTERS)
            .weigher((String token, Boolean refusal) -> token.length())
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();
    private final Counter checksPassed;
    private final Counter checksFailed;

    TokenVerifier(TokenSettings settings, ResourceLoader resources, Clock clock, MeterRegistry meters) {
        this.verifiers = VerificationKeys.load(settings, resources);
        this.clock = clock;
        this.checksPassed = checks(meters, "valid");
        this.checksFailed = checks(meters, "refused");
    }

    private static Counter checks(MeterRegistry meters, String outcome) {
        return Counter.builder("gateway.token.checks")
                .description("Queue tokens checked in full (parse, signature, claims): the expensive step; "
                        + "tokens answered from the caches of verified and refused tokens are not counted")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** Whether {@link #verify} would check this token in full: it is in neither cache. */
    public boolean needsCheck(String compact) {
        return verified.getIfPresent(compact) == null && refused.getIfPresent(compact) == null;
    }

    /** The verified token, or empty when it is malformed, forged or past its {@code exp}. */
    public Optional<QueueToken> verify(String compact) {
        QueueToken known = verified.getIfPresent(compact);
        if (known != null) {
            return clock.instant().isBefore(known.expiresAt()) ? Optional.of(known) : refuse("expired at " + known.expiresAt());
        }
        if (refused.getIfPresent(compact) != null) {
            return Optional.empty();
        }
        Optional<QueueToken> checked = check(compact);
        if (checked.isPresent()) {
            verified.put(compact, checked.get());
            checksPassed.increment();
        } else {
            refused.put(compact, Boolean.TRUE);
            checksFailed.increment();
        }
        return checked;
    }

    private Optional<QueueToken> check(String compact) {
        try {
            SignedJWT jwt = SignedJWT.parse(compact);
            JWSHeader header = jwt.getHeader();
            if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
                return refuse("algorithm " + header.getAlgorithm());
            }
            JWSVerifier verifier = header.getKeyID() == null ? null : verifiers.get(header.getKeyID());
            if (verifier == null) {
                return refuse("unknown key id " + header.getKeyID());
            }
            if (!jwt.verify(verifier)) {
                return refuse("bad signature");
            }
            return claims(jwt.getJWTClaimsSet());
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return refuse("malformed: " + e.getMessage());
        }
    }

    private Optional<QueueToken> claims(JWTClaimsSet claims) {
        Date exp = claims.getExpirationTime();
        String jti = claims.getJWTID();
        String sub = claims.getSubject();
        if (exp == null || jti == null || sub == null) {
            return refuse("missing exp, jti or sub");
        }
        Instant expiresAt = exp.toInstant();
        if (!clock.instant().isBefore(expiresAt)) {
            return refuse("expired at " + expiresAt);
        }
        if (!UUID_TEXT.matcher(jti).matches()) {
            return refuse("jti is not a UUID");
        }
        if (!POSITIVE_INTEGER.matcher(sub).matches()) {
            return refuse("sub is not a positive integer");
        }
        try {
            return Optional.of(new QueueToken(UUID.fromString(jti), Long.parseLong(sub), expiresAt));
        } catch (NumberFormatException tooLarge) {
            return refuse("sub out of range");
        }
    }

    private static Optional<QueueToken> refuse(String reason) {
        // Debug only: refused tokens are a client's (or an attacker's) business, not an operator's.
        log.debug("Refusing queue token: {}", reason);
        return Optional.empty();
    }
}
