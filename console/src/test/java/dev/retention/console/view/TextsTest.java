package dev.retention.console.view;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Both languages say everything: the same keys, no empty text, and every key the pages and the code use. */
class TextsTest {

    private static final Path TEMPLATES = Path.of("src/main/resources/templates");
    private static final Path SOURCES = Path.of("src/main/java");
    /** {@code {t.key}} and any other use of the map in an expression: {@code {#if t.key}}, {@code aria-label="{t.key}"}. */
    private static final Pattern TEMPLATE_KEY = Pattern.compile("(?<![\\w.])t\\.([A-Za-z_][A-Za-z0-9_]*)");
    /** {@code t.get("key")} and {@code Texts.of(locale).get("key")} in the Java sources. */
    private static final Pattern JAVA_KEY = Pattern.compile("(?:\\bt|Texts\\.of\\([^;]*?\\))\\.get\\(\"([A-Za-z0-9_]+)\"\\)");
    /** {@code Texts.of(...).get("prefix_" + ...)}: a key made at run time, checked by its prefix's known endings. */
    private static final Pattern JAVA_PREFIX = Pattern.compile("\\.get\\(\"([A-Za-z0-9_]+_)\"\\s*\\+");

    private final Map<String, String> english = Texts.load("en");
    private final Map<String, String> german = Texts.load("de");

    @Test
    void englishAndGermanHaveTheSameKeys() {
        assertThat(new TreeSet<>(german.keySet())).as("German lacks or adds keys")
                .isEqualTo(new TreeSet<>(english.keySet()));
    }

    @Test
    void noTextIsEmpty() {
        english.forEach((key, value) -> assertThat(value).as("en: " + key).isNotBlank());
        german.forEach((key, value) -> assertThat(value).as("de: " + key).isNotBlank());
    }

    @Test
    void germanIsNotEnglishCopied() {
        long same = english.keySet().stream().filter(k -> english.get(k).equals(german.get(k))).count();
        // A few words are the same in both (Name, Status, E-Mail…); most are not.
        assertThat(same).isLessThan(english.size() / 5);
        assertThat(german.get("nav_customers")).isEqualTo("Kunden");
    }

    @Test
    void everyKeyATemplateUsesExists() {
        Set<String> used = new TreeSet<>();
        for (Path template : files(TEMPLATES, ".html")) {
            Matcher matcher = TEMPLATE_KEY.matcher(read(template));
            while (matcher.find()) {
                used.add(matcher.group(1));
            }
        }

        assertThat(used).as("keys used by the templates").hasSizeGreaterThan(50);
        assertThat(english.keySet()).containsAll(used);
        assertThat(german.keySet()).containsAll(used);
    }

    @Test
    void everyKeyTheJavaSourcesUseExists() {
        Set<String> used = new TreeSet<>();
        for (Path source : files(SOURCES, ".java")) {
            String code = read(source);
            Matcher matcher = JAVA_KEY.matcher(code);
            while (matcher.find()) {
                used.add(matcher.group(1));
            }
            Matcher prefixes = JAVA_PREFIX.matcher(code);
            while (prefixes.find()) {
                assertThat(prefixes.group(1)).as("a key made at run time in " + source).isEqualTo("role_");
            }
        }
        // The sign-in page names each role by "role_" + role.
        Stream.of("support", "marketer", "analyst", "admin").forEach(role -> used.add("role_" + role));

        assertThat(used).contains("chart_uplift", "json_invalid", "role_admin");
        assertThat(english.keySet()).containsAll(used);
        assertThat(german.keySet()).containsAll(used);
    }

    @Test
    void anUnknownLanguageGetsEnglish() {
        assertThat(Texts.of(Locale.FRENCH)).isEqualTo(english);
        assertThat(Texts.of(Locale.forLanguageTag("de-AT"))).isEqualTo(german);
    }

    private static java.util.List<Path> files(Path root, String suffix) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
