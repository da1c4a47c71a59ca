package dev.ticketing.gateway.token;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the public keys that verify queue tokens come from.
 *
 * @param verificationKeys a JWK Set as JSON text (env {@code TOKEN_VERIFICATION_KEYS}); wins when set
 * @param verificationKeysLocation a resource holding a JWK Set, used when {@code verificationKeys} is blank
 * @param developmentKeyAllowed whether the committed development key may be used; false unless a local run says so
 *                                ({@code TOKEN_DEVELOPMENT_KEY_ALLOWED}): anyone can sign with it
 */
@ConfigurationProperties("ticketing.token")
record TokenSettings(String verificationKeys, String verificationKeysLocation, boolean developmentKeyAllowed) {

    static final String DEVELOPMENT_KEYS = "classpath:dev-keys/token-verification-keys.jwks.json";

    boolean inlineKeys() {
        return verificationKeys != null && !verificationKeys.isBlank();
    }
}
