package dev.retention.insights.messaging;

import dev.retention.insights.application.PublishDailySnapshots;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Runs {@link PublishDailySnapshots} on {@code retention.insights.snapshot-cron} (UTC). */
@ApplicationScoped
public class SnapshotSchedule {

    private static final Logger LOG = Logger.getLogger(SnapshotSchedule.class);

    private final PublishDailySnapshots snapshots;

    public SnapshotSchedule(PublishDailySnapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Scheduled(cron = "${retention.insights.snapshot-cron:0 15 0 * * ?}", timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> publish() {
        return snapshots.publishYesterday()
                .invoke(count -> LOG.infof("published %d daily insights snapshots", count))
                .onFailure().invoke(failure -> LOG.warnf("daily insights snapshots failed, the next run retries: %s",
                        failure.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
