package dev.retention.tiers.api;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** Errors as RFC 9457 problem+json with a stable code, as in every service of the platform. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        return problem(400, "Invalid request", e.getMessage(), "INVALID_REQUEST");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return problem(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(),
                status == 404 ? "NOT_FOUND" : "HTTP_" + status);
    }

    private static Response problem(int status, String title, String detail, String code) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://retention.dev/problems/" + code.toLowerCase().replace('_', '-'));
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        return Response.status(status).type("application/problem+json").entity(body).build();
    }
}
