package dev.ticketing.gateway.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * The ES256 verifiers by key id, read once at start-up. Fails the start rather than running with
 * no usable key or with a private key: the gateway must be able to verify tokens and never mint them.
 */
final class VerificationKeys {

    private static final Logger log = LoggerFactory.getLogger(VerificationKeys.class);

    private VerificationKeys() {
    }

    static Map<String, JWSVerifier> load(TokenSettings settings, ResourceLoader resources) {
        JWKSet keys = parse(settings, resources);
        Map<String, JWSVerifier> verifiers = new HashMap<>();
        for (JWK key : keys.getKeys()) {
            if (key.isPrivate()) {
                throw new IllegalStateException("token verification key " + key.getKeyID()
                        + " holds a private key; the gateway takes public keys only");
            }
            if (!(key instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || key.getKeyID() == null
                    || (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse()))
                    || (key.getAlgorithm() != null && !JWSAlgorithm.ES256.equals(key.getAlgorithm()))) {
                log.warn("Ignoring token verification key {}: not an ES256 (P-256) signing key with a kid", key.getKeyID());
                continue;
            }
            try {
                ECDSAVerifier verifier = new ECDSAVerifier(ec);
                // Bouncy Castle verifies P-256 in about a fifth of SunEC's time on JDK 17; used for this
                // verifier only, not registered JVM-wide.
                verifier.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
                verifiers.put(key.getKeyID(), verifier);
            } catch (JOSEException e) {
                throw new IllegalStateException("unusable token verification key " + key.getKeyID(), e);
            }
        }
        if (verifiers.isEmpty()) {
            throw new IllegalStateException("no ES256 token verification key configured (ticketing.token.*)");
        }
        log.info("Verifying queue tokens with key ids {}", verifiers.keySet());
        return Map.copyOf(verifiers);
    }

    private static JWKSet parse(TokenSettings settings, ResourceLoader resources) {
        try {
            if (settings.inlineKeys()) {
                return JWKSet.parse(settings.verificationKeys());
            }
            String location = settings.verificationKeysLocation() == null || settings.verificationKeysLocation().isBlank()
                    ? TokenSettings.DEVELOPMENT_KEYS : settings.verificationKeysLocation();
            if (location.equals(TokenSettings.DEVELOPMENT_KEYS)) {
                if (!settings.developmentKeyAllowed()) {
                    throw new IllegalStateException("No queue token verification keys: set TOKEN_VERIFICATION_KEYS to "
                            + "the JWK Set of queue-service's public keys. The development key committed in the "
                            + "repository is accepted only in local runs (TOKEN_DEVELOPMENT_KEY_ALLOWED=true): anyone "
                            + "can sign tokens with it.");
                }
                log.warn("Verifying queue tokens with the committed development key (TOKEN_DEVELOPMENT_KEY_ALLOWED): "
                        + "for local runs only");
            }
            Resource resource = resources.getResource(location);
            try (InputStream in = resource.getInputStream()) {
                return JWKSet.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (ParseException e) {
            throw new IllegalStateException("token verification keys are not a JWK Set", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token verification keys", e);
        }
    }
}
