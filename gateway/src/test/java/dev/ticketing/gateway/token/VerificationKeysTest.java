package dev.ticketing.gateway.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerificationKeysTest {

    private final DefaultResourceLoader resources = new DefaultResourceLoader();

    @Test
    void readsTheCommittedDevelopmentKeyOnlyWhereALocalRunAllowsIt() {
        assertThat(VerificationKeys.load(new TokenSettings("", TokenSettings.DEVELOPMENT_KEYS, true), resources))
                .containsOnlyKeys("dev-2026-11");

        // Anywhere else, no keys is a start-up failure, not tokens that anyone can sign with the public dev key.
        assertThatThrownBy(() -> VerificationKeys.load(new TokenSettings("", TokenSettings.DEVELOPMENT_KEYS, false), resources))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TOKEN_VERIFICATION_KEYS");
        assertThatThrownBy(() -> VerificationKeys.load(new TokenSettings(null, null, false), resources))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TOKEN_VERIFICATION_KEYS");
    }

    @Test
    void prefersKeysGivenInlineOverTheLocation() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("inline").generate();

        assertThat(VerificationKeys.load(new TokenSettings(new JWKSet(key.toPublicJWK()).toString(),
                TokenSettings.DEVELOPMENT_KEYS, false), resources)).containsOnlyKeys("inline");
    }

    @Test
    void refusesToStartWithAPrivateKey() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("private").generate();

        assertThatThrownBy(() -> VerificationKeys.load(new TokenSettings(new JWKSet(key).toString(false), null, false), resources))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("private");
    }

    @Test
    void ignoresKeysThatCannotVerifyES256AndRefusesToStartWithoutOne() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
        ECKey otherCurve = new ECKeyGenerator(Curve.P_384).keyID("p384").generate();
        ECKey otherAlgorithm = new ECKeyGenerator(Curve.P_256).keyID("es512").algorithm(JWSAlgorithm.ES512).generate();
        String keys = new JWKSet(List.of(rsa.toPublicJWK(), otherCurve.toPublicJWK(), otherAlgorithm.toPublicJWK())).toString();

        assertThatThrownBy(() -> VerificationKeys.load(new TokenSettings(keys, null, false), resources))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no ES256");
    }

    @Test
    void refusesToStartWithKeysThatAreNotAJwkSet() {
        assertThatThrownBy(() -> VerificationKeys.load(new TokenSettings("{\"not\":\"keys\"", null, false), resources))
                .isInstanceOf(IllegalStateException.class);
    }
}
