package dev.retention.console.web;

import dev.retention.console.services.Answer;
import dev.retention.console.services.Problem;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.Response;

import java.util.UUID;

/** How a form's submission answers htmx: on success the page reloads with a notice; else the form with the problem. */
final class Forms {

    private Forms() {
    }

    /** A fresh idempotency key for a form: a double click, or a retry after a lost answer, acts once. */
    static String idempotencyKey() {
        return UUID.randomUUID().toString();
    }

    /**
     * The key a form carries if it is one the services accept, else a fresh one; per action (a reward of the page), a
     * key derived from it, so that two rewards redeemed from one page are two redemptions.
     */
    static String idempotencyKey(String fromForm, String action) {
        String key = fromForm == null || !fromForm.matches("[A-Za-z0-9._:-]{1,100}") ? idempotencyKey() : fromForm;
        return action == null ? key : UUID.nameUUIDFromBytes((key + "/" + action).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /** A form's whole number as a JSON number where it is one, else as typed, so that the service names the field. */
    static Object wholeNumberOrText(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException | NullPointerException notANumber) {
            return text;
        }
    }

    static Response reloadWith(String location) {
        return Response.ok().header("HX-Redirect", location).build();
    }

    /** The form again, with the service's problem at its fields, under the service's own status. */
    static Response refused(Answer answer, TemplateInstance form) {
        Problem problem = answer.problem();
        return Response.status(answer.status()).entity(form.data("problem", problem)).build();
    }
}
