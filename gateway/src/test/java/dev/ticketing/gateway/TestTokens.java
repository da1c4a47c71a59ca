package dev.ticketing.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Mints queue tokens as queue-service does (ES256, kid, jti/sub/iat/exp) with a key pair made for
 * the test run; the gateway gets only its public half. A second pair, under the same kid, forges.
 */
final class TestTokens {

    static final String KID = "test-key";
    private static final ECKey TRUSTED = generate(KID);
    private static final ECKey FORGER = generate(KID);

    private TestTokens() {
    }

    /** The value for {@code ticketing.token.verification-keys}. */
    static String publicKeys() {
        return new JWKSet(TRUSTED.toPublicJWK()).toString();
    }

    static String mint(UUID tokenId, long userId, Instant now) {
        return sign(TRUSTED, KID, claims(tokenId.toString(), Long.toString(userId), now, now.plus(Duration.ofHours(24))));
    }

    static String forgedSignature(UUID tokenId, long userId, Instant now) {
        return sign(FORGER, KID, claims(tokenId.toString(), Long.toString(userId), now, now.plus(Duration.ofHours(24))));
    }

    static String unknownKid(UUID tokenId, long userId, Instant now) {
        return sign(TRUSTED, "other-key", claims(tokenId.toString(), Long.toString(userId), now, now.plus(Duration.ofHours(24))));
    }

    static String withClaims(String jti, String sub, Instant iat, Instant exp) {
        return sign(TRUSTED, KID, claims(jti, sub, iat, exp));
    }

    /** A genuine token whose payload is swapped for another user's, keeping the original signature. */
    static String tamperedPayload(UUID tokenId, long userId, Instant now) {
        String[] parts = mint(tokenId, userId, now).split("\\.");
        String payload = claims(tokenId.toString(), Long.toString(userId + 1), now, now.plus(Duration.ofHours(24)))
                .toString();
        return parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    /** An unsigned token: header {@code alg: none}, empty signature. */
    static String algNone(UUID tokenId, long userId, Instant now) {
        String header = "{\"alg\":\"none\",\"kid\":\"" + KID + "\"}";
        String payload = claims(tokenId.toString(), Long.toString(userId), now, now.plus(Duration.ofHours(24))).toString();
        return Base64URL.encode(header.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** HS256 keyed with the public key's text: the classic key-confusion forgery. */
    static String hmacWithPublicKey(UUID tokenId, long userId, Instant now) {
        try {
            byte[] secret = TRUSTED.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(KID).build(),
                    claims(tokenId.toString(), Long.toString(userId), now, now.plus(Duration.ofHours(24))));
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet claims(String jti, String sub, Instant iat, Instant exp) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(jti).subject(sub).issueTime(Date.from(iat));
        if (exp != null) {
            claims.expirationTime(Date.from(exp));
        }
        return claims.build();
    }

    private static String sign(ECKey key, String kid, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generate(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
