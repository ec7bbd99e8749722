package dev.retention.points.domain;

/** A redemption or adjustment the programme's rules do not allow; {@code code} is stable for clients. */
public class PointsRefusedException extends RuntimeException {

    private final String code;

    public PointsRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
