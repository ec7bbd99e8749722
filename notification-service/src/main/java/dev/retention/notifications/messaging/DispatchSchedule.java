package dev.retention.notifications.messaging;

import dev.retention.notifications.application.DispatchDueNotifications;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Wakes the dispatcher on a schedule, for what falls due by time (held messages, retries); new triggers wake it
 * themselves once their batch has committed.
 */
@ApplicationScoped
public class DispatchSchedule {

    private final DispatchDueNotifications dispatch;

    public DispatchSchedule(DispatchDueNotifications dispatch) {
        this.dispatch = dispatch;
    }

    @Scheduled(every = "${retention.notifications.dispatch.every:2s}", delayed = "3s")
    void dispatchDue() {
        dispatch.wakeUp();
    }
}
