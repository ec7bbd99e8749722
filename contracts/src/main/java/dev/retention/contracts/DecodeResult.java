package dev.retention.contracts;

/** What the decoder made of one Kafka record: a typed event, or a precise reason why not. */
public sealed interface DecodeResult {

    record Decoded(EventEnvelope<?> event) implements DecodeResult {
    }

    /**
     * @param field JSON path ({@code $.data.lines[0].unitPrice}), CloudEvent attribute ({@code $.subject}),
     *              header ({@code header:ce_time}) or {@code record} when the record as a whole is at fault
     */
    record Rejected(RejectionReason reason, String field, String detail) implements DecodeResult {

        @Override
        public String toString() {
            return reason + " at " + field + ": " + detail;
        }
    }
}
