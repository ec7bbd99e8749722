package dev.retention.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Signed JWTs for tests, the local run and benchmarks: RS256 with a key pair made once per key directory, the
 * public key as PEM where a service's {@code JWT_PUBLIC_KEY_LOCATION} can point. The key pair lives in files so
 * that the test resource and the test (which may load this class twice) sign and verify with the same keys.
 */
public final class Tokens {

    public static final String TEST_ISSUER = "https://issuer.test.retention.dev";
    private static final Path TEST_KEYS = Path.of(System.getProperty("java.io.tmpdir"),
            "retention-test-jwt-" + ProcessHandle.current().pid());

    private final Path directory;
    private final String issuer;
    private final PrivateKey privateKey;

    private Tokens(Path directory, String issuer) {
        this.directory = directory;
        this.issuer = issuer;
        this.privateKey = loadOrCreate(directory);
    }

    /** The keys of this test JVM. */
    public static Tokens forTests() {
        return new Tokens(TEST_KEYS, TEST_ISSUER);
    }

    /** Keys kept in {@code directory} (made on first use), tokens from {@code issuer}. */
    public static Tokens in(Path directory, String issuer) {
        return new Tokens(directory, issuer);
    }

    public Path publicKeyFile() {
        return directory.resolve("public-key.pem");
    }

    public String issuer() {
        return issuer;
    }

    /**
     * What a service's {@code @QuarkusTest} needs to verify these tokens. The key is given inline: in test mode
     * smallrye-jwt configures an in-memory key of its own as {@code mp.jwt.verify.publickey}, which wins over a location.
     */
    public Map<String, String> serviceConfig() {
        try {
            return Map.of("mp.jwt.verify.publickey", Files.readString(publicKeyFile()),
                    "mp.jwt.verify.publickey.location", publicKeyFile().toUri().toString(),
                    "mp.jwt.verify.issuer", issuer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same, as the environment variables of the services' application.properties. */
    public Map<String, String> serviceEnvironment() {
        return Map.of("JWT_PUBLIC_KEY_LOCATION", publicKeyFile().toUri().toString(), "JWT_ISSUER", issuer);
    }

    public String admin() {
        return token("admin-1", List.of("admin"));
    }

    public String support() {
        return token("support-1", List.of("support"));
    }

    public String analyst() {
        return token("analyst-1", List.of("analyst"));
    }

    /** A storefront acting for one customer: the subject is the customer id. */
    public String storefront(String customerId) {
        return token(customerId, List.of("storefront"));
    }

    public String token(String subject, List<String> groups) {
        return token(subject, groups, issuer, Duration.ofHours(1));
    }

    public String token(String subject, List<String> groups, String tokenIssuer, Duration validFor) {
        Instant now = Instant.now();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":" + json(tokenIssuer) + ",\"sub\":" + json(subject) + ",\"upn\":" + json(subject)
                + ",\"groups\":[" + groups.stream().map(Tokens::json).collect(Collectors.joining(",")) + "]"
                + ",\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plus(validFor).getEpochSecond() + "}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static PrivateKey loadOrCreate(Path directory) {
        Path privateFile = directory.resolve("private-key.der");
        try {
            if (!Files.exists(privateFile)) {
                create(directory);
            }
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateFile)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes both keys into a new directory, then moves it into place: a concurrent maker loses cleanly. */
    private static void create(Path directory) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path parent = directory.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, directory.getFileName() + ".new");
        Files.write(staging.resolve("private-key.der"), pair.getPrivate().getEncoded());
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(staging.resolve("public-key.pem"), pem);
        try {
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException e) {
            // Another maker was first: use its keys.
            Files.deleteIfExists(staging.resolve("private-key.der"));
            Files.deleteIfExists(staging.resolve("public-key.pem"));
            Files.deleteIfExists(staging);
        }
    }
}
