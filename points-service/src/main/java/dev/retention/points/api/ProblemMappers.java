package dev.retention.points.api;

import dev.retention.points.domain.PointsRefusedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every error of the API as RFC 9457 problem+json: a status, a title, a detail, and a stable code. */
public class ProblemMappers {

    static final String PROBLEM_JSON = "application/problem+json";

    @ServerExceptionMapper
    public Response refused(PointsRefusedException e) {
        return problem(422, "Not allowed by the points programme", e.getMessage(), e.code(), null);
    }

    @ServerExceptionMapper
    public Response notFound(ApiProblems.CustomerNotFound e) {
        return problem(404, "Unknown customer", e.getMessage(), "CUSTOMER_NOT_FOUND", null);
    }

    @ServerExceptionMapper
    public Response keyReused(ApiProblems.IdempotencyKeyReused e) {
        return problem(409, "Idempotency key reused", e.getMessage(), "IDEMPOTENCY_KEY_REUSED", null);
    }

    @ServerExceptionMapper
    public Response badRequest(ApiProblems.BadRequest e) {
        return problem(400, "Invalid request", e.getMessage(), "INVALID_REQUEST", null);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Map<String, String>> violations = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", field(v.getPropertyPath().toString()), "problem", v.getMessage()))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .toList();
        return problem(400, "Invalid request", violations.size() + " field(s) invalid", "INVALID_REQUEST",
                violations);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return problem(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(),
                status == 400 ? "MALFORMED_REQUEST" : "HTTP_" + status, null);
    }

    /** "redeem.body.points" reads better as "points", "redeem.idempotencyKey" as "Idempotency-Key". */
    private static String field(String path) {
        String[] parts = path.split("\\.");
        if (parts.length >= 2 && parts[1].equals("body")) {
            return String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length));
        }
        String last = parts[parts.length - 1];
        return last.equals("idempotencyKey") ? "Idempotency-Key" : last;
    }

    static Response problem(int status, String title, String detail, String code,
                            List<Map<String, String>> violations) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://retention.dev/problems/" + code.toLowerCase().replace('_', '-'));
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        if (violations != null) {
            body.put("violations", violations);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
