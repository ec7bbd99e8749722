package dev.retention.notifications.application;

import dev.retention.notifications.domain.UnsubscribeTokens;
import dev.retention.notifications.persistence.NotificationStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;

/**
 * The unsubscribe link of marketing mails: its signed token names the customer, and using it withdraws marketing
 * e-mail until the shop reports consent given later (the first use counts; a row is made if no profile has arrived
 * yet, so the opt-out stands when it does).
 */
@ApplicationScoped
public class UnsubscribeFromMarketing {

    private static final Logger LOG = Logger.getLogger(UnsubscribeFromMarketing.class);

    private final Pool pool;
    private final NotificationStore store;
    private final UnsubscribeTokens tokens;
    private final Clock clock;

    public UnsubscribeFromMarketing(Pool pool, NotificationStore store, UnsubscribeTokens tokens, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Whom the link is for: empty when its signature does not hold or it is not an e-mail link. */
    public Optional<UnsubscribeTokens.Subject> subject(String token) {
        return tokens.verify(token).filter(s -> s.channel().equals("email"));
    }

    /** One statement, idempotent. */
    public Uni<Void> unsubscribe(UnsubscribeTokens.Subject subject) {
        return store.unsubscribe(pool, subject.customerId(), clock.instant()).invoke(() ->
                LOG.infof("customer %s unsubscribed from marketing %s", subject.customerId(), subject.channel()));
    }
}
