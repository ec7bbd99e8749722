package dev.retention.notifications.application;

import dev.retention.notifications.domain.HistoryEntry;
import dev.retention.notifications.persistence.NotificationStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** A customer's delivery log for support: one read, no transaction. */
@ApplicationScoped
public class ReadNotificationHistory {

    private final Pool pool;
    private final NotificationStore store;

    public ReadNotificationHistory(Pool pool, NotificationStore store) {
        this.pool = pool;
        this.store = store;
    }

    /** The customer's latest {@code limit} notifications, newest first. */
    public Uni<List<HistoryEntry>> latest(String customerId, int limit) {
        return store.history(pool, customerId, limit);
    }
}
