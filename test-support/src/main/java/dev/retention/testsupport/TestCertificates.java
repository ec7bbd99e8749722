package dev.retention.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority and certificates signed by it, made with the JDK's {@code keytool} in a directory: the
 * files Strimzi hands a Kafka client (the cluster CA as PEM, the user's key and certificate as PKCS12 with a
 * password) and the broker's key store. Valid for two days; for tests only.
 */
public final class TestCertificates {

    private final Path directory;
    private final String password = UUID.randomUUID().toString();
    private final Path caStore;
    private final Path caPem;

    private TestCertificates(Path directory) {
        this.directory = directory;
        this.caStore = directory.resolve("ca.p12");
        this.caPem = directory.resolve("ca.crt");
    }

    /** Makes a new CA in {@code directory}. */
    public static TestCertificates authority(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestCertificates certificates = new TestCertificates(directory);
        certificates.keytool("-genkeypair", "-alias", "ca", "-dname", "CN=retention-test-ca", "-ext", "bc:c",
                "-keystore", certificates.caStore.toString());
        certificates.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", certificates.caStore.toString(),
                "-file", certificates.caPem.toString());
        return certificates;
    }

    /** The CA certificate, PEM: what a client trusts, and what the broker checks client certificates against. */
    public Path caCertificate() {
        return caPem;
    }

    /** The password of every key store made here. */
    public String password() {
        return password;
    }

    /**
     * A PKCS12 key store with a key and its certificate for {@code commonName}, signed by this CA, valid for the
     * loopback address (so a broker on 127.0.0.1 can use it too).
     */
    public Path keyStore(String commonName) {
        Path store = directory.resolve(commonName + ".p12");
        Path request = directory.resolve(commonName + ".csr");
        Path certificate = directory.resolve(commonName + ".crt");
        String san = "SAN=ip:127.0.0.1,dns:localhost";
        keytool("-genkeypair", "-alias", "key", "-dname", "CN=" + commonName, "-ext", san, "-keystore",
                store.toString());
        keytool("-certreq", "-alias", "key", "-keystore", store.toString(), "-file", request.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-infile", request.toString(),
                "-outfile", certificate.toString(), "-rfc", "-ext", san);
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", store.toString(), "-file", caPem.toString());
        keytool("-importcert", "-alias", "key", "-keystore", store.toString(), "-file", certificate.toString());
        return store;
    }

    private void keytool(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(arguments));
        if (arguments[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        }
        if (arguments[0].equals("-gencert")) {
            command.addAll(List.of("-validity", "2"));
        }
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
