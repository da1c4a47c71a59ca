package dev.ticketing.queue.token;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the signing key comes from, and that a deployment without one fails closed. */
class TokenSignerTest {

    private static final Resource DEVELOPMENT_KEY = new DefaultResourceLoader().getResource(TokenSettings.DEVELOPMENT_KEY);

    @Test
    void refusesToStartWithoutAKeyUnlessALocalRunAllowsTheDevelopmentKey() throws Exception {
        assertThatThrownBy(() -> new TokenSigner(new TokenSettings("", DEVELOPMENT_KEY, Duration.ofHours(24), false),
                Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TOKEN_SIGNING_KEY");
        assertThatThrownBy(() -> new TokenSigner(new TokenSettings(null, DEVELOPMENT_KEY, Duration.ofHours(24), false),
                Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class);

        TokenSigner local = new TokenSigner(new TokenSettings("", DEVELOPMENT_KEY, Duration.ofHours(24), true),
                Clock.systemUTC());
        assertThat(local.publicKey().getKeyID()).isEqualTo("dev-2026-11");
    }

    @Test
    void signsWithTheKeyItIsGivenWhateverTheSwitch() throws Exception {
        String key = new ECKeyGenerator(Curve.P_256).keyID("2026-12").generate().toJSONString();

        TokenSigner signer = new TokenSigner(new TokenSettings(key, DEVELOPMENT_KEY, Duration.ofHours(24), false),
                Clock.systemUTC());

        assertThat(SignedJWT.parse(signer.sign(7).jwt()).getHeader().getKeyID()).isEqualTo("2026-12");
    }
}
