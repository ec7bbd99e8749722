package dev.retention.console.view;

import io.quarkus.qute.TemplateExtension;

import java.util.Locale;

/** {@link Formats} in templates, with the page's locale: {@code {fmt:money(v.amount, v.currency)}}. */
@TemplateExtension(namespace = "fmt")
public final class FormatExtensions {

    private FormatExtensions() {
    }

    private static Formats in(Object locale) {
        return new Formats(locale instanceof Locale l ? l : Locale.ENGLISH);
    }

    static String number(Object value, @TemplateExtension.TemplateAttribute("locale") Object locale) {
        return in(locale).number(value);
    }

    static String signed(Object value, @TemplateExtension.TemplateAttribute("locale") Object locale) {
        return in(locale).signed(value);
    }

    static String money(Object amount, Object currency, @TemplateExtension.TemplateAttribute("locale") Object locale) {
        return in(locale).money(amount, currency);
    }

    static String percent(Object fraction, @TemplateExtension.TemplateAttribute("locale") Object locale) {
        return in(locale).percent(fraction);
    }

    static String pp(Object fraction, @TemplateExtension.TemplateAttribute("locale") Object locale) {
        return in(locale).points(fraction);
    }

    static String date(Object value, @TemplateExtension.TemplateAttribute("locale") Object locale) {
        return in(locale).date(value);
    }

    /** A path segment as a URL carries it: ids in a page's links and forms cannot step out of their segment. */
    static String url(Object value) {
        return value == null ? "" : java.net.URLEncoder.encode(value.toString(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    static String month(Object value, @TemplateExtension.TemplateAttribute("locale") Object locale) {
        return in(locale).month(value);
    }
}
