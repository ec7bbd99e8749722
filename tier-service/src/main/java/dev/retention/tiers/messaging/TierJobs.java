package dev.retention.tiers.messaging;

import dev.retention.tiers.application.ReevaluateDueTiers;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Runs the time-based re-evaluation on a schedule; a failed run is logged and the next run retries. */
@ApplicationScoped
public class TierJobs {

    private static final Logger LOG = Logger.getLogger(TierJobs.class);

    private final ReevaluateDueTiers reevaluateDue;

    public TierJobs(ReevaluateDueTiers reevaluateDue) {
        this.reevaluateDue = reevaluateDue;
    }

    @Scheduled(every = "${retention.tiers.jobs.every:1m}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return reevaluateDue.reevaluateAll()
                .onFailure().invoke(failure -> LOG.warnf("tier job failed, next run retries: %s", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
