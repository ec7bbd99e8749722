package dev.retention.notifications.channels;

import dev.retention.contracts.events.CartContents;
import dev.retention.contracts.events.CartLine;
import dev.retention.contracts.events.IssuedReward;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.Voucher;
import dev.retention.notifications.config.NotificationsConfig;
import dev.retention.notifications.domain.Contact;
import dev.retention.notifications.domain.Product;
import dev.retention.notifications.domain.RecommendedItems;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders a trigger for a customer with Qute: a subject and a plain-text body per trigger type and language
 * ({@code templates/notifications/<trigger>/<lang>/subject.txt} and {@code text.txt}), and the HTML version from
 * one layout ({@code templates/notifications/layout.html}) around the text. A file of the same path under
 * {@code retention.notifications.templates-dir} wins over the built-in one (read when changed, no rebuild).
 *
 * <p>Fallback: the customer's locale ({@code de-AT}), then its language ({@code de}), then the default language.
 * Amounts are formatted for the customer's locale and the voucher's currency, dates in the customer's time zone.
 *
 * <p>A trigger's recommended items ({@code recommendations}: name, url, imageUrl of each known product in stock) are
 * shown by the fragment {@code templates/notifications/recommendations/<lang>.txt}, which a text template includes;
 * the HTML layout shows them as links with their pictures instead (the fragment renders nothing when
 * {@code inHtml}).
 */
@ApplicationScoped
public class MessageRenderer {

    public record Rendered(String locale, String subject, String text, String html, Map<String, Object> data) {
    }

    private final Engine engine;
    private final Optional<Path> overrides;
    private final String defaultLocale;
    private final Map<Path, CachedTemplate> parsed = new ConcurrentHashMap<>();
    /**
     * The built-in templates by name, absent ones included: Qute caches only what it finds, so each miss (a locale
     * without templates of its own, the first link of most fallback chains) searched the class path again, a tenth of
     * the service's CPU under load.
     */
    private final Map<String, Optional<Template>> builtIn = new ConcurrentHashMap<>();

    private record CachedTemplate(long modified, Template template) {
    }

    private final FeedbackLinks feedbackLinks;

    public MessageRenderer(Engine engine, NotificationsConfig config, FeedbackLinks feedbackLinks) {
        this.engine = engine;
        this.feedbackLinks = feedbackLinks;
        this.overrides = config.templatesDir().map(Path::of);
        this.defaultLocale = config.defaultLocale();
    }

    /** @throws IllegalStateException when no language of the chain has the trigger's templates */
    public Rendered render(TriggerFired trigger, Contact contact, ZoneId zone, String unsubscribeUrl) {
        return render(trigger, contact, zone, unsubscribeUrl, Map.of());
    }

    /**
     * @param products the known products among the trigger's recommended SKUs, by SKU
     * @throws IllegalStateException when no language of the chain has the trigger's templates
     */
    public Rendered render(TriggerFired trigger, Contact contact, ZoneId zone, String unsubscribeUrl,
                           Map<String, Product> products) {
        String type = trigger.triggerType().wireName();
        for (String language : chain(contact.locale())) {
            Template subject = template(type + "/" + language + "/subject", ".txt");
            Template text = template(type + "/" + language + "/text", ".txt");
            if (subject == null || text == null) {
                continue;
            }
            Locale locale = Locale.forLanguageTag(contact.locale() != null && contact.locale().startsWith(language)
                    ? contact.locale() : language);
            Map<String, Object> data = data(trigger, contact, locale, zone, unsubscribeUrl, products);
            List<Map<String, Object>> items = items(RecommendedItems.shown(trigger.recommendedSkus(), products));
            data.put("recommendations", items);
            data.put("inHtml", false);
            data.put("feedbackLinks", feedbackLinks.of(trigger));
            String renderedSubject = subject.data(data).render().strip();
            String renderedText = text.data(data).render().strip();
            Map<String, Object> layoutData = new HashMap<>(data);
            layoutData.put("inHtml", true);
            String htmlText = items.isEmpty() ? renderedText : text.data(layoutData).render().strip();
            layoutData.put("lang", language);
            layoutData.put("subject", renderedSubject);
            List<FeedbackLinks.ScoreLink> scale = feedbackLinks.of(trigger);
            // The HTML shows the scale as a row of links (the layout), not as the text's list of URLs.
            layoutData.put("paragraphs", paragraphs(htmlText).stream()
                    .filter(p -> scale.isEmpty() || !p.contains(scale.get(0).url())).toList());
            String html = template("layout", ".html").data(layoutData).render();
            return new Rendered(language, renderedSubject, renderedText, html, data);
        }
        throw new IllegalStateException("no templates for " + type + " in " + chain(contact.locale()));
    }

    /** de-AT → [de-AT, de, en]. */
    List<String> chain(String locale) {
        Set<String> chain = new LinkedHashSet<>();
        if (locale != null && !locale.isBlank()) {
            chain.add(locale);
            chain.add(Locale.forLanguageTag(locale).getLanguage());
        }
        chain.add(defaultLocale);
        return new ArrayList<>(chain);
    }

    private Template template(String name, String suffix) {
        if (overrides.isPresent()) {
            Path file = overrides.get().resolve(name + suffix);
            if (Files.isRegularFile(file)) {
                try {
                    long modified = Files.getLastModifiedTime(file).toMillis();
                    CachedTemplate cached = parsed.get(file);
                    if (cached == null || cached.modified() != modified) {
                        cached = new CachedTemplate(modified, engine.parse(Files.readString(file)));
                        parsed.put(file, cached);
                    }
                    return cached.template();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read template " + file, e);
                }
            }
        }
        return builtIn.computeIfAbsent(name, n -> Optional.ofNullable(engine.getTemplate("notifications/" + n)))
                .orElse(null);
    }

    private static Map<String, Object> data(TriggerFired trigger, Contact contact, Locale locale, ZoneId zone,
                                            String unsubscribeUrl, Map<String, Product> products) {
        Map<String, Object> data = new HashMap<>();
        data.put("firstName", contact.firstName());
        data.put("triggerType", trigger.triggerType().wireName());
        data.put("orderId", trigger.orderId());
        data.put("attributes", trigger.attributes() == null ? Map.of() : trigger.attributes());
        String tier = trigger.attributes() == null ? null
                : trigger.attributes().getOrDefault("toTier", trigger.attributes().get("currentTier"));
        data.put("tier", tier);
        data.put("voucher", trigger.voucher() == null ? null : voucher(trigger.voucher(), locale, zone));
        data.put("reward", trigger.reward() == null ? null : reward(trigger.reward(), locale));
        data.put("cart", trigger.cart() == null ? null : cart(trigger.cart(), locale, products));
        data.put("unsubscribeUrl", unsubscribeUrl);
        return data;
    }

    private static Map<String, Object> voucher(Voucher voucher, Locale locale, ZoneId zone) {
        Map<String, Object> v = new HashMap<>();
        v.put("code", voucher.code());
        v.put("value", voucher.value() == null ? null : money(voucher.value(), locale));
        v.put("percentOff", voucher.percentOff() == null ? null
                : NumberFormat.getNumberInstance(locale).format(voucher.percentOff()) + " %");
        v.put("freeGiftSku", voucher.freeGiftSku());
        v.put("freeShipping", voucher.freeShipping());
        v.put("minimumOrderValue", voucher.minimumOrderValue() == null ? null
                : money(voucher.minimumOrderValue(), locale));
        v.put("maximumDiscount", voucher.maximumDiscount() == null ? null : money(voucher.maximumDiscount(), locale));
        v.put("expiresOn", DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale)
                .format(voucher.expiresAt().atZone(zone)));
        return v;
    }

    private static List<Map<String, Object>> items(List<Product> shown) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Product product : shown) {
            Map<String, Object> item = new HashMap<>();
            item.put("sku", product.sku());
            item.put("name", product.name());
            item.put("url", product.url());
            item.put("imageUrl", product.imageUrl());
            items.add(item);
        }
        return items;
    }

    /** A reward redeemed for points: its name, the points it cost, and a partner reward's code and text. */
    private static Map<String, Object> reward(IssuedReward reward, Locale locale) {
        Map<String, Object> r = new HashMap<>();
        r.put("name", reward.name());
        r.put("points", NumberFormat.getIntegerInstance(locale).format(reward.points()));
        r.put("partnerCode", reward.partnerCode());
        r.put("partnerText", reward.partnerText());
        return r;
    }

    /**
     * A cart reminder's cart: each line with its SKU, quantity, unit price and line total, and the product's name
     * and link where the products topic has named the SKU ({@code label} is the name, else the SKU).
     */
    private static Map<String, Object> cart(CartContents cart, Locale locale, Map<String, Product> products) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (CartLine line : cart.lines()) {
            Map<String, Object> l = new HashMap<>();
            l.put("sku", line.sku());
            Product product = products.get(line.sku());
            l.put("name", product == null ? null : product.name());
            l.put("url", product == null ? null : product.url());
            l.put("label", product == null ? line.sku() : product.name());
            l.put("quantity", line.quantity());
            l.put("unitPrice", money(line.unitPrice(), locale));
            l.put("lineTotal", money(new Money(line.unitPrice().amount().multiply(BigDecimal.valueOf(line.quantity())),
                    line.unitPrice().currency()), locale));
            lines.add(l);
        }
        Map<String, Object> c = new HashMap<>();
        c.put("cartId", cart.cartId());
        c.put("lines", lines);
        return c;
    }

    static String money(Money money, Locale locale) {
        NumberFormat format = NumberFormat.getCurrencyInstance(locale);
        Currency currency = Currency.getInstance(money.currency());
        format.setCurrency(currency);
        format.setMinimumFractionDigits(currency.getDefaultFractionDigits());
        format.setMaximumFractionDigits(currency.getDefaultFractionDigits());
        return format.format(money.amount() == null ? BigDecimal.ZERO : money.amount());
    }

    private static List<String> paragraphs(String text) {
        return Arrays.stream(text.split("\\n\\s*\\n")).map(String::strip).filter(p -> !p.isEmpty()).toList();
    }
}
