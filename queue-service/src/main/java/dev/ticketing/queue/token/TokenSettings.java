package dev.ticketing.queue.token;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

import java.time.Duration;

/**
 * How queue tokens are signed.
 *
 * @param signingKey         the EC P-256 private key as a JWK (JSON); wins over the location
 * @param signingKeyLocation where to read that JWK when {@code signingKey} is empty; the default is
 *                           the committed development key, for local runs only
 * @param lifetime           the JWT's life ({@code exp} - {@code iat})
 * @param developmentKeyAllowed whether the committed development key may sign; false unless a local run says so
 *                           ({@code TOKEN_DEVELOPMENT_KEY_ALLOWED}), so that a deployment without a key fails to
 *                           start instead of signing with a key whose private half is public
 */
@ConfigurationProperties("ticketing.token")
public record TokenSettings(
        String signingKey,
        @DefaultValue(TokenSettings.DEVELOPMENT_KEY) Resource signingKeyLocation,
        @DefaultValue("24h") Duration lifetime,
        boolean developmentKeyAllowed) {

    static final String DEVELOPMENT_KEY = "classpath:dev-keys/token-signing-key.jwk.json";
}
