package dev.retention.console.view;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The console's words in English and German ({@code messages/texts_en.properties}, {@code texts_de.properties}),
 * handed to templates as a map: {@code {t.customer_title}}. A test holds both files to the same keys and every key a
 * template uses.
 */
public final class Texts {

    private static final Map<String, Map<String, String>> BY_LANGUAGE = Map.of(
            "en", load("en"), "de", load("de"));

    private Texts() {
    }

    public static Map<String, String> of(Locale locale) {
        return BY_LANGUAGE.getOrDefault(locale.getLanguage(), BY_LANGUAGE.get("en"));
    }

    static Map<String, String> load(String language) {
        String resource = "messages/texts_" + language + ".properties";
        try (InputStream in = Texts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> texts = new TreeMap<>();
            properties.forEach((key, value) -> texts.put((String) key, (String) value));
            return Map.copyOf(texts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
