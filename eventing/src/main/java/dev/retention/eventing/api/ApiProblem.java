package dev.retention.eventing.api;

/**
 * An error an API answers with: an HTTP status, a title, a stable machine-readable {@code code} and the detail.
 * Thrown anywhere in a request, it becomes an RFC 9457 problem+json response.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final String code;

    public ApiProblem(int status, String title, String code, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
        this.code = code;
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
}
