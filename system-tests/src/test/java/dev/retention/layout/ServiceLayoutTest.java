package dev.retention.layout;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout every service shares (README, "Layout of a service"), checked on the sources: calls run from `api` and
 * `messaging` to `application`, and only `application` opens transactions.
 */
class ServiceLayoutTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Map<String, String> SERVICES = Map.of(
            "points-service", "points", "tier-service", "tiers",
            "campaign-service", "campaigns", "notification-service", "notifications",
            "programme-service", "programme");
    private static final Pattern TRANSACTION = Pattern.compile("\\bwithTransaction\\b|implements\\s+BatchHandler\\b");
    private static final Pattern SQL_CLIENT = Pattern.compile("^import io\\.vertx\\.mutiny\\.sqlclient\\.", Pattern.MULTILINE);

    @Test
    void onlyTheApplicationLayerOpensTransactions() {
        List<String> offenders = new ArrayList<>();
        forEachSource((layer, file, text) -> {
            if (!layer.equals("application") && TRANSACTION.matcher(text).find()) {
                offenders.add(file.toString());
            }
        });
        assertThat(offenders).isEmpty();
    }

    @Test
    void theApiCallsTheApplicationLayerOnly() {
        List<String> offenders = new ArrayList<>();
        forEachSource((layer, file, text) -> {
            if (layer.equals("api") && (text.contains(".messaging.") || text.contains(".persistence.")
                    || SQL_CLIENT.matcher(text).find())) {
                offenders.add(file.toString());
            }
        });
        assertThat(offenders).isEmpty();
    }

    @Test
    void messagingAdaptsTheBrokerAndTheSchedulerToTheApplicationLayerWithoutSql() {
        List<String> offenders = new ArrayList<>();
        forEachSource((layer, file, text) -> {
            if (layer.equals("messaging") && (text.contains(".persistence.") || SQL_CLIENT.matcher(text).find())) {
                offenders.add(file.toString());
            }
        });
        assertThat(offenders).isEmpty();
    }

    @Test
    void everyServiceHasAnApplicationLayer() {
        SERVICES.forEach((module, pkg) -> assertThat(sources(module, pkg).resolve("application"))
                .as(module).isDirectory());
    }

    private interface SourceVisitor {
        void visit(String layer, Path file, String text);
    }

    private static void forEachSource(SourceVisitor visitor) {
        SERVICES.forEach((module, pkg) -> {
            Path base = sources(module, pkg);
            try (Stream<Path> files = Files.walk(base)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
                    String layer = base.relativize(file).getName(0).toString();
                    try {
                        visitor.visit(layer, ROOT.relativize(file), Files.readString(file));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Path sources(String module, String pkg) {
        return ROOT.resolve(module).resolve("src/main/java/dev/retention").resolve(pkg);
    }
}
