package dev.retention.console.services;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A service's refusal as the console shows it: the problem+json title and detail, and each violation at the field it
 * names ({@code points}, {@code offer.value.amount}, {@code $.tiers.levels[0].threshold}).
 */
public record Problem(int status, String title, String detail, String code, List<Violation> violations) {

    public record Violation(String field, String problem) {
    }

    static Problem from(int status, JsonNode body) {
        if (body == null || !body.isObject()) {
            return new Problem(status, status >= 500 ? "The service is unavailable" : "Refused (HTTP " + status + ")",
                    null, "HTTP_" + status, List.of());
        }
        List<Violation> violations = new ArrayList<>();
        body.path("violations").forEach(v -> violations.add(new Violation(v.path("field").asText(""),
                v.path("problem").asText(""))));
        body.path("reasons").forEach(r -> violations.add(new Violation(r.path("code").asText(""),
                r.path("detail").asText(""))));
        return new Problem(status, body.path("title").asText("HTTP " + status),
                body.hasNonNull("detail") ? body.get("detail").asText() : null,
                body.path("code").asText("HTTP_" + status), List.copyOf(violations));
    }

    /** What the console says when it could not reach a service at all. */
    static Problem unreachable(Service service, java.util.Map<String, String> texts) {
        return new Problem(503, service.serviceName() + " " + texts.get("service_unreachable"),
                texts.get("service_unreachable_detail"), "UNREACHABLE", List.of());
    }

    /** The message for one form field, if the service named it. */
    public Optional<String> at(String field) {
        return violations.stream().filter(v -> v.field().equals(field)).map(Violation::problem).findFirst();
    }

    /** Violations the form has no field for: shown together above the form. */
    public List<Violation> besides(List<String> fields) {
        return violations.stream().filter(v -> !fields.contains(v.field())).toList();
    }

    public boolean forbidden() {
        return status == 403;
    }
}
