package dev.retention.eventing;

/**
 * Thrown by a {@link BatchHandler} when the service's rules cannot accept one event (for example a return for an
 * order it never saw, if that is an error for it). The event is dead-lettered with this message; the rest of the
 * batch is applied.
 */
public class EventRejectedException extends RuntimeException {

    public EventRejectedException(String message) {
        super(message);
    }
}
