package dev.ticketing.queue.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;

/**
 * Signs queue tokens: JWTs with ES256 (nimbus-jose-jwt over Bouncy Castle), {@code kid} in the header, claims
 * {@code jti}, {@code sub}, {@code iat}, {@code exp}. Only this service holds the private key;
 * the gateway verifies with the public half.
 */
@Component
public class TokenSigner {

    private static final Logger log = LoggerFactory.getLogger(TokenSigner.class);

    private final ECKey key;
    private final ECDSASigner signer;
    private final TokenSettings settings;
    private final Clock clock;

    TokenSigner(TokenSettings settings, Clock clock) throws IOException, ParseException, JOSEException {
        this.settings = settings;
        this.clock = clock;
        String json;
        if (settings.signingKey() != null && !settings.signingKey().isBlank()) {
            json = settings.signingKey();
        } else {
            if (settings.signingKeyLocation().getDescription().contains("dev-keys")) {
                if (!settings.developmentKeyAllowed()) {
                    throw new IllegalStateException("No queue token signing key: set TOKEN_SIGNING_KEY to a private EC "
                            + "P-256 JWK. The development key committed in the repository signs only in local runs "
                            + "(TOKEN_DEVELOPMENT_KEY_ALLOWED=true): its private half is public.");
                }
                log.warn("Signing queue tokens with the committed development key (TOKEN_DEVELOPMENT_KEY_ALLOWED): "
                        + "for local runs only");
            }
            json = settings.signingKeyLocation().getContentAsString(StandardCharsets.UTF_8);
        }
        this.key = ECKey.parse(json);
        if (!Curve.P_256.equals(key.getCurve()) || !key.isPrivate() || key.getKeyID() == null) {
            throw new IllegalStateException("The token signing key must be a private EC P-256 JWK with a kid");
        }
        this.signer = new ECDSASigner(key);
        // Bouncy Castle signs P-256 in about half of SunEC's time on JDK 17, and signing is most of a
        // join's CPU; used for this signer only, not registered JVM-wide.
        signer.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
    }

    /** A new token for {@code userId}, issued now. */
    public SignedToken sign(long userId) {
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = issuedAt.plus(settings.lifetime());
        String tokenId = UUID.randomUUID().toString();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .jwtID(tokenId)
                .subject(Long.toString(userId))
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a queue token", e);
        }
        return new SignedToken(tokenId, userId, jwt.serialize(), issuedAt, expiresAt);
    }

    /** The public half, for whoever must verify (tests, key publication). */
    public ECKey publicKey() {
        return key.toPublicJWK();
    }
}
