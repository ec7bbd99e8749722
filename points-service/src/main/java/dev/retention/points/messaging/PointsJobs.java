package dev.retention.points.messaging;

import dev.retention.points.application.ExpireInactivePoints;
import dev.retention.points.application.ReleaseDuePoints;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Time-based changes on a schedule: pending points are released, then inactive points warned about and expired. */
@ApplicationScoped
public class PointsJobs {

    private static final Logger LOG = Logger.getLogger(PointsJobs.class);

    private final ReleaseDuePoints release;
    private final ExpireInactivePoints expiry;

    public PointsJobs(ReleaseDuePoints release, ExpireInactivePoints expiry) {
        this.release = release;
        this.expiry = expiry;
    }

    @Scheduled(every = "${retention.points.jobs.every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return release.releaseAll().chain(released -> expiry.expireAll())
                .onFailure().invoke(failure -> LOG.warnf("points job failed, next run retries: %s", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
