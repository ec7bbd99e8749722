package dev.retention.notifications.channels;

/**
 * How a delivery attempt ended: accepted, worth retrying, or never going to work (bad address, refused).
 * {@code code} is safe to publish ({@code SMTP_550}, {@code HTTP_404}); {@code detail} may quote the receiver's reply,
 * which can contain the address, so it stays in the service's database.
 */
public record DeliveryResult(Status status, String code, String detail) {

    public enum Status { DELIVERED, TEMPORARY_FAILURE, PERMANENT_FAILURE }

    public static DeliveryResult delivered() {
        return new DeliveryResult(Status.DELIVERED, null, null);
    }

    public static DeliveryResult temporary(String code, String detail) {
        return new DeliveryResult(Status.TEMPORARY_FAILURE, code, detail);
    }

    public static DeliveryResult permanent(String code, String detail) {
        return new DeliveryResult(Status.PERMANENT_FAILURE, code, detail);
    }
}
