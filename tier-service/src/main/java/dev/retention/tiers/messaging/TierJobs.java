package dev.retention.tiers.messaging;

import dev.retention.tiers.application.MarkDueOnProgrammeChange;
import dev.retention.tiers.application.ReevaluateDueTiers;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Runs the time-based re-evaluation on a schedule: first, if the programme version in force has changed, every
 * customer is marked due ({@link MarkDueOnProgrammeChange}), then the due customers are re-evaluated. A failed run is
 * logged and the next run retries.
 */
@ApplicationScoped
public class TierJobs {

    private static final Logger LOG = Logger.getLogger(TierJobs.class);

    private final MarkDueOnProgrammeChange markDue;
    private final ReevaluateDueTiers reevaluateDue;

    public TierJobs(MarkDueOnProgrammeChange markDue, ReevaluateDueTiers reevaluateDue) {
        this.markDue = markDue;
        this.reevaluateDue = reevaluateDue;
    }

    @Scheduled(every = "${retention.tiers.jobs.every:1m}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return markDue.run().chain(reevaluateDue::reevaluateAll)
                .onFailure().invoke(failure -> LOG.warnf("tier job failed, next run retries: %s", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
