package dev.retention.points.api;

/** Failures the API reports as problem+json; the mapper turns each into its status. */
public final class ApiProblems {

    private ApiProblems() {
    }

    public static class CustomerNotFound extends RuntimeException {
        public CustomerNotFound(String customerId) {
            super("no points account for customer " + customerId);
        }
    }

    public static class IdempotencyKeyReused extends RuntimeException {
        public IdempotencyKeyReused(String key) {
            super("Idempotency-Key '" + key + "' was used for a different request");
        }
    }

    public static class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message);
        }
    }
}
