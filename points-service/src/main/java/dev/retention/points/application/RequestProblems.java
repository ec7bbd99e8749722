package dev.retention.points.application;

/** Why a request to the points programme is refused, apart from its rules; the API answers each with its status. */
public final class RequestProblems {

    private RequestProblems() {
    }

    public static class CustomerNotFound extends RuntimeException {
        public CustomerNotFound(String customerId) {
            super("no points account for customer " + customerId);
        }
    }

    public static class RewardNotFound extends RuntimeException {
        public RewardNotFound(String rewardId) {
            super("no reward " + rewardId + " in the programme version in force");
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
