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
 *                           a development key, for local runs only
 * @param lifetime           the JWT's life ({@code exp} - {@code iat})
 */
@ConfigurationProperties("ticketing.token")
public record TokenSettings(
        String signingKey,
        @DefaultValue("classpath:dev-keys/token-signing-key.jwk.json") Resource signingKeyLocation,
        @DefaultValue("24h") Duration lifetime) {
}
