package dev.retention.notifications.api;

import dev.retention.eventing.api.ApiProblem;
import dev.retention.notifications.application.UnsubscribeFromMarketing;
import dev.retention.notifications.domain.UnsubscribeTokens;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The unsubscribe link of marketing mails. {@code POST} unsubscribes: it is what a mail client's one-click button
 * sends (RFC 8058, {@code List-Unsubscribe-Post}). {@code GET}, which the link in the mail opens, answers a page that
 * posts that form itself as soon as a browser shows it, so the customer's one click is enough; a {@code GET} alone
 * changes nothing, because mail providers' link scanners open links (and do not run scripts). Without scripts the
 * page shows the button.
 */
// Open to anyone: the signed token in the link is the authorization (UnsubscribeTokens).
@PermitAll
@Path("/unsubscribe")
@Tag(name = "unsubscribe")
public class UnsubscribeResource {

    private final UnsubscribeFromMarketing unsubscribing;

    public UnsubscribeResource(UnsubscribeFromMarketing unsubscribing) {
        this.unsubscribing = unsubscribing;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The unsubscribe page: posts the unsubscribe form as the browser shows it")
    public String page(@QueryParam("token") String token) {
        subject(token);
        String escaped = token.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
        return """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>Unsubscribe</title></head>
                <body style="font-family: sans-serif; max-width: 600px; margin: auto;">
                <form method="post" action="unsubscribe?token=%s">
                <p>No more offers by e-mail? / Keine Angebote mehr per E-Mail?</p>
                <button type="submit">Unsubscribe / Abmelden</button>
                </form>
                <script>document.forms[0].submit();</script>
                </body></html>
                """.formatted(escaped);
    }

    @POST
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Unsubscribe from marketing e-mail (one click; idempotent)")
    public Uni<String> unsubscribe(@QueryParam("token") String token) {
        UnsubscribeTokens.Subject subject = subject(token);
        return unsubscribing.unsubscribe(subject).replaceWith("""
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>Unsubscribed</title></head>
                <body style="font-family: sans-serif; max-width: 600px; margin: auto;">
                <p>You will receive no more offers by e-mail. / Sie erhalten keine Angebote mehr per E-Mail.</p>
                </body></html>
                """);
    }

    private UnsubscribeTokens.Subject subject(String token) {
        return unsubscribing.subject(token)
                .orElseThrow(() -> ApiProblem.badRequest("the unsubscribe link is invalid or incomplete"));
    }
}
