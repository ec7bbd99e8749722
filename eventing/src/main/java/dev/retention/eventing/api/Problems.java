package dev.retention.eventing.api;

import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** RFC 9457 problem+json bodies, the same in every service: type, title, status, detail, a stable code. */
public final class Problems {

    public static final String PROBLEM_JSON = "application/problem+json";

    private Problems() {
    }

    public static Response response(int status, String title, String detail, String code) {
        return response(status, title, detail, code, null);
    }

    /** @param violations field and problem of each invalid input, or null */
    public static Response response(int status, String title, String detail, String code,
                                    List<Map<String, String>> violations) {
        return response(status, title, detail, code, violations, Map.of());
    }

    /**
     * @param violations field and problem of each invalid input, or null
     * @param extensions further members of the problem (RFC 9457 extension members), e.g. a syntax error's line
     */
    public static Response response(int status, String title, String detail, String code,
                                    List<Map<String, String>> violations, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://retention.dev/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-'));
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        if (violations != null) {
            body.put("violations", violations);
        }
        body.putAll(extensions);
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
