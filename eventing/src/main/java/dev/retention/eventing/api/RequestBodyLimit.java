package dev.retention.eventing.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is larger than {@code quarkus.http.limits.max-body-size} before anything
 * reads it, as problem+json 413 like every other API error (Quarkus's own refusal has no body). A body sent without
 * a length (chunked) is cut off at the same limit by Quarkus itself.
 */
@ApplicationScoped
public class RequestBodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::refuseOversizedBody);
    }

    private void refuseOversizedBody(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        long declared;
        try {
            declared = length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = 0; // the HTTP codec answers a malformed length itself
        }
        if (declared <= maxBodySize.asLongValue()) {
            context.next();
            return;
        }
        JsonObject problem = new JsonObject().put("type", "https://retention.dev/problems/payload-too-large")
                .put("title", "Request body too large").put("status", 413)
                .put("detail", "the body has " + declared + " bytes; this API accepts at most "
                        + maxBodySize.asLongValue())
                .put("code", "PAYLOAD_TOO_LARGE");
        context.response().setStatusCode(413).putHeader("Content-Type", Problems.PROBLEM_JSON)
                .putHeader("Connection", "close").end(problem.encode());
    }
}
