package dev.retention.campaigns.api;

import dev.retention.campaigns.domain.VoucherRefusedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every error of the API as RFC 9457 problem+json: a status, a title, a detail, and a stable code. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response refused(VoucherRefusedException e) {
        switch (e.reason()) {
            case UNKNOWN_VOUCHER:
                return problem(404, "Unknown voucher", e.getMessage(), e.reason().name(), null);
            case ALREADY_REDEEMED:
                return problem(409, "Voucher already redeemed", e.getMessage(), e.reason().name(), null);
            default:
                return problem(422, "Not allowed by the voucher's terms", e.getMessage(), e.reason().name(), null);
        }
    }

    @ServerExceptionMapper
    public Response notFound(ApiProblems.NotFound e) {
        return problem(404, "Not found", e.getMessage(), "NOT_FOUND", null);
    }

    @ServerExceptionMapper
    public Response conflict(ApiProblems.Conflict e) {
        return problem(409, "Conflict", e.getMessage(), "CONFLICT", null);
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

    /** "create.body.offer.validFor" reads better as "offer.validFor". */
    private static String field(String path) {
        String[] parts = path.split("\\.");
        if (parts.length >= 2 && parts[1].equals("body")) {
            return String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length));
        }
        return parts[parts.length - 1];
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
        return Response.status(status).type("application/problem+json").entity(body).build();
    }
}
