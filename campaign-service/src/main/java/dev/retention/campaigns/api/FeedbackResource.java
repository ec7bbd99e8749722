package dev.retention.campaigns.api;

import dev.retention.campaigns.application.AnswerFeedbackLink;
import dev.retention.campaigns.application.AnswerFeedbackLink.Link;
import dev.retention.campaigns.application.AnswerFeedbackLink.Refused;
import dev.retention.campaigns.application.AnswerFeedbackLink.Usable;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The score links of the feedback mail ({@code /feedback?token=…&score=N}). {@code GET}, which the link opens,
 * changes nothing: mail providers' link scanners open links and run no scripts. It answers a page that posts the
 * score form itself as soon as a browser shows it (without scripts: a button), so the customer's one click is
 * enough. {@code POST} records the score, once per order, and thanks in German or English (Accept-Language) with a
 * comment form that can be sent once. An order answered before: the page says so and nothing changes. An expired or
 * tampered link: a page that says so, with 410 or 400.
 *
 * <p>The pages are tiny and strict: a Content-Security-Policy that allows only their inline style, the one inline
 * script by its hash, and forms posting back here; no referrer (the token is in the URL), no caching, no framing,
 * no indexing.
 */
// Open to anyone: the signed token in the link is the authorization (FeedbackLinkTokens).
@PermitAll
@Path("/feedback")
@Tag(name = "feedback")
public class FeedbackResource {

    private static final String AUTO_SUBMIT = "document.forms[0].submit();";
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"
            + sha256(AUTO_SUBMIT) + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final AnswerFeedbackLink answering;

    public FeedbackResource(AnswerFeedbackLink answering) {
        this.answering = answering;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "A feedback mail's score link: a page that posts the score as the browser shows it")
    public Uni<Response> page(@QueryParam("token") String token, @QueryParam("score") String score,
                              @HeaderParam("Accept-Language") String languages) {
        Text text = Text.of(languages);
        Integer value = score(score);
        return answering.link(token).map(link -> switch (link) {
            case Refused refused -> refused(refused, text);
            case Usable usable -> value == null ? page(400, text.title, text.invalidScore)
                    : page(200, text.title, """
                    <form method="post" action="feedback?token=%s&amp;score=%d">
                    <p>%s <strong>%d</strong></p>
                    <button type="submit">%s</button>
                    </form>
                    <script>%s</script>""".formatted(html(token), value, text.yourScore, value, text.send,
                    AUTO_SUBMIT));
        });
    }

    @POST
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Records the score of a feedback link, once per order")
    public Uni<Response> answer(@QueryParam("token") String token, @QueryParam("score") String score,
                                @HeaderParam("Accept-Language") String languages) {
        Text text = Text.of(languages);
        Integer value = score(score);
        return answering.link(token).chain(link -> switch (link) {
            case Refused refused -> Uni.createFrom().item(refused(refused, text));
            case Usable usable -> value == null ? Uni.createFrom().item(page(400, text.title, text.invalidScore))
                    : answering.answer(usable, value).map(outcome -> switch (outcome) {
                        case RECORDED -> page(200, text.thanks, """
                                <p>%s</p>
                                <form method="post" action="feedback/comment?token=%s">
                                <p><label for="comment">%s</label></p>
                                <textarea id="comment" name="comment" rows="5" cols="50" maxlength="2000"></textarea>
                                <p><button type="submit">%s</button></p>
                                </form>""".formatted(text.recorded, html(token), text.commentLabel, text.send));
                        case ALREADY_ANSWERED -> page(200, text.thanks, "<p>" + text.alreadyAnswered + "</p>");
                    });
        });
    }

    @POST
    @Path("/comment")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The optional comment after a feedback link's score, once")
    public Uni<Response> comment(@QueryParam("token") String token, @FormParam("comment") String comment,
                                 @HeaderParam("Accept-Language") String languages) {
        Text text = Text.of(languages);
        return answering.link(token).chain(link -> switch (link) {
            case Refused refused -> Uni.createFrom().item(refused(refused, text));
            case Usable usable -> answering.comment(usable, comment).map(outcome -> switch (outcome) {
                case ADDED -> page(200, text.thanks, "<p>" + text.commentThanks + "</p>");
                case NOT_ACCEPTED -> page(409, text.thanks, "<p>" + text.commentRefused + "</p>");
            });
        });
    }

    private static Response refused(Refused refused, Text text) {
        return switch (refused.reason()) {
            case INVALID -> page(400, text.title, "<p>" + text.invalid + "</p>");
            case EXPIRED -> page(410, text.title, "<p>" + text.expired + "</p>");
            case UNAVAILABLE -> page(503, text.title, "<p>" + text.unavailable + "</p>");
        };
    }

    /** 0 to 10, or null. */
    private static Integer score(String score) {
        if (score == null || !score.matches("(10|[0-9])")) {
            return null;
        }
        return Integer.parseInt(score);
    }

    private static Response page(int status, String title, String body) {
        String html = """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
                <title>%s</title></head>
                <body style="font-family: sans-serif; max-width: 600px; margin: 2em auto; padding: 0 1em;">
                <h1 style="font-size: 1.3em;">%s</h1>
                %s
                </body></html>
                """.formatted(title, title, body);
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).entity(html)
                .header("Content-Security-Policy", CSP)
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("X-Robots-Tag", "noindex")
                .build();
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String sha256(String script) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The pages' words: German where the browser prefers German before English, English otherwise. */
    private record Text(String title, String yourScore, String send, String thanks, String recorded,
                        String commentLabel, String alreadyAnswered, String commentThanks, String commentRefused,
                        String invalid, String expired, String unavailable, String invalidScore) {

        static final Text EN = new Text("Your feedback", "Your score:", "Send", "Thank you!",
                "We have recorded your score.", "Anything you would like to tell us? (optional)",
                "You have already answered for this order; your first answer counts.",
                "Thank you for your comment.", "A comment for this order has already been sent.",
                "This link is not valid. Please use the link from your e-mail as it is.",
                "This link has expired.", "Feedback links are not available at the moment.",
                "Please choose a score from 0 to 10.");
        static final Text DE = new Text("Ihre Meinung", "Ihre Bewertung:", "Senden", "Vielen Dank!",
                "Wir haben Ihre Bewertung gespeichert.", "Möchten Sie uns noch etwas sagen? (freiwillig)",
                "Sie haben für diese Bestellung bereits geantwortet; Ihre erste Antwort zählt.",
                "Vielen Dank für Ihren Kommentar.", "Für diese Bestellung wurde bereits ein Kommentar gesendet.",
                "Dieser Link ist ungültig. Bitte verwenden Sie den Link aus Ihrer E-Mail unverändert.",
                "Dieser Link ist abgelaufen.", "Bewertungslinks sind derzeit nicht verfügbar.",
                "Bitte wählen Sie eine Bewertung von 0 bis 10.");

        static Text of(String acceptLanguage) {
            if (acceptLanguage == null) {
                return EN;
            }
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage).stream()
                        .sorted((a, b) -> Double.compare(b.getWeight(), a.getWeight())).toList()) {
                    String language = range.getRange().toLowerCase(Locale.ROOT);
                    if (language.startsWith("de")) {
                        return DE;
                    }
                    if (language.startsWith("en")) {
                        return EN;
                    }
                }
            } catch (IllegalArgumentException e) {
                return EN;
            }
            return EN;
        }
    }
}
