package dev.retention.campaigns.api;

/** Failures the API reports as problem+json; {@link ProblemMappers} gives each its status. */
public final class ApiProblems {

    private ApiProblems() {
    }

    public static class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    public static class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }

    public static class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message);
        }
    }
}
