package dev.ticketing.gateway.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signing key rotated as docs/gateway.md (Keys) describes: the gateways get the new public key next to the
 * old one, queue-service switches to the new private key, and the old public key goes after the longest token
 * life. Through the overlap, tokens of both keys are let in; after it, only the new key's.
 */
class KeyRotationTest {

    private static final ECKey OLD = generate("2026-11");
    private static final ECKey NEW = generate("2026-12");

    private final Instant now = Instant.now();
    private final String issuedBeforeTheSwitch = sign(OLD, 41);
    private final String issuedAfterTheSwitch = sign(NEW, 42);

    @Test
    void tokensOfBothKeysAreLetInDuringTheOverlapAndOnlyTheNewOnesAfterIt() {
        TokenVerifier beforeRotation = gatewayWith(OLD);
        assertThat(beforeRotation.verify(issuedBeforeTheSwitch)).hasValueSatisfying(t -> assertThat(t.userId()).isEqualTo(41));

        // Step 1: the gateways first, so that no gateway refuses a token of the new key when queue-service switches.
        TokenVerifier overlap = gatewayWith(OLD, NEW);
        assertThat(overlap.verify(issuedBeforeTheSwitch)).as("a token issued before the switch, during the overlap")
                .hasValueSatisfying(t -> assertThat(t.userId()).isEqualTo(41));
        assertThat(overlap.verify(issuedAfterTheSwitch)).as("a token issued after the switch, during the overlap")
                .hasValueSatisfying(t -> assertThat(t.userId()).isEqualTo(42));

        // Step 3, after the longest token life: the old key is gone, and so are the tokens it signed.
        TokenVerifier afterRotation = gatewayWith(NEW);
        assertThat(afterRotation.verify(issuedBeforeTheSwitch)).as("a token of the retired key").isEmpty();
        assertThat(afterRotation.verify(issuedAfterTheSwitch)).isPresent();
    }

    private static TokenVerifier gatewayWith(ECKey... keys) {
        String publicKeys = new JWKSet(Arrays.stream(keys).map(k -> (JWK) k.toPublicJWK()).toList()).toString();
        return new TokenVerifier(new TokenSettings(publicKeys, null, false), new DefaultResourceLoader(),
                Clock.systemUTC(), new SimpleMeterRegistry());
    }

    private String sign(ECKey key, long userId) {
        Instant issued = now.minusSeconds(1);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .jwtID(UUID.randomUUID().toString())
                .subject(Long.toString(userId))
                .issueTime(Date.from(issued))
                .expirationTime(Date.from(issued.plus(Duration.ofHours(24))))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static ECKey generate(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
