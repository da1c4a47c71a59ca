package dev.ticketing.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ticketing.e2e.PublicApi.Shopper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Queue tokens signed with the development key that the end-to-end stack's queue-service signs with, so
 * that a test can make a genuine token with one thing wrong, such as its age.
 */
final class DevTokens {

    private static final Path KEY = Path.of("..", "queue-service", "src", "main", "resources", "dev-keys",
            "token-signing-key.jwk.json");

    private DevTokens() {
    }

    /** The shopper's own token (same user, same token id), issued 25 h ago: past its 24 h life. */
    static String expired(Shopper shopper) {
        Instant issued = Instant.now().minus(Duration.ofHours(25));
        return signed(shopper, issued, issued.plus(Duration.ofHours(24)));
    }

    static String signed(Shopper shopper, Instant issuedAt, Instant expiresAt) {
        try {
            ECKey key = ECKey.parse(Files.readString(KEY));
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                    new JWTClaimsSet.Builder().jwtID(shopper.tokenId()).subject(Long.toString(shopper.userId()))
                            .issueTime(Date.from(issuedAt)).expirationTime(Date.from(expiresAt)).build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot sign with " + KEY, e);
        }
    }
}
