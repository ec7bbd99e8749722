package dev.retention.console.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The local run's identity provider, inside the console: signs an RS256 token for the role a user picks on the
 * sign-in page, with the key pair {@code deploy/local/platform} made (the services verify it with its public half).
 * Never configured on Kubernetes, where the cluster's OIDC proxy signs the user in.
 */
public final class LocalIssuer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrivateKey key;
    private final String issuer;
    private final Duration validFor;

    LocalIssuer(PrivateKey key, String issuer, Duration validFor) {
        this.key = key;
        this.issuer = issuer;
        this.validFor = validFor;
    }

    /** The key pair in {@code directory} ({@code private-key.der}, PKCS#8), as the local platform writes it. */
    public static LocalIssuer fromKeyDirectory(Path directory, String issuer, Duration validFor) {
        try {
            byte[] der = Files.readAllBytes(directory.resolve("private-key.der"));
            return new LocalIssuer(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)), issuer,
                    validFor);
        } catch (IOException e) {
            throw new UncheckedIOException("the local issuer's key is not readable in " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the local issuer's key in " + directory + " is not an RSA key", e);
        }
    }

    public String tokenFor(String subject, List<String> roles, Instant now) {
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", issuer)
                .put("sub", subject)
                .put("upn", subject)
                .put("iat", now.getEpochSecond())
                .put("exp", now.plus(validFor).getEpochSecond());
        roles.forEach(claims.putArray("groups")::add);
        String signingInput = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Duration validFor() {
        return validFor;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
