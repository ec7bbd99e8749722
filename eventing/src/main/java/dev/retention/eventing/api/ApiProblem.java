package dev.retention.eventing.api;

import java.util.List;
import java.util.Map;

/**
 * An error an API answers with: an HTTP status, a title, a stable machine-readable {@code code} and the detail.
 * Thrown anywhere in a request, it becomes an RFC 9457 problem+json response.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final String code;
    private final List<Map<String, String>> violations;

    public ApiProblem(int status, String title, String code, String detail) {
        this(status, title, code, detail, null);
    }

    private ApiProblem(int status, String title, String code, String detail, List<Map<String, String>> violations) {
        super(detail);
        this.status = status;
        this.title = title;
        this.code = code;
        this.violations = violations;
    }

    /**
     * One invalid field, answered like a bean validation failure (400 INVALID_REQUEST with {@code violations}), for
     * rules an annotation cannot hold, such as a bound from configuration.
     */
    public static ApiProblem invalidField(String field, String problem) {
        return new ApiProblem(400, "Invalid request", "INVALID_REQUEST", "1 field(s) invalid",
                List.of(Map.of("field", field, "problem", problem)));
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Invalid request", "INVALID_REQUEST", detail);
    }

    public static ApiProblem notFound(String code, String detail) {
        return new ApiProblem(404, "Not found", code, detail);
    }

    public static ApiProblem conflict(String code, String detail) {
        return new ApiProblem(409, "Conflict", code, detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String code() {
        return code;
    }

    /** Field and problem of each invalid input, or null. */
    public List<Map<String, String>> violations() {
        return violations;
    }
}
