package dev.retention.campaigns.messaging;

import dev.retention.campaigns.application.ReadCodePools;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Reads the code pools' figures into their gauges: claims happen in the consumer's batches, uploads elsewhere. */
@ApplicationScoped
public class CodePoolJobs {

    private static final Logger LOG = Logger.getLogger(CodePoolJobs.class);

    private final ReadCodePools pools;

    public CodePoolJobs(ReadCodePools pools) {
        this.pools = pools;
    }

    @Scheduled(every = "${retention.campaigns.code-pools.gauge-every:60s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshGauges() {
        return pools.refreshGauges()
                .onFailure().invoke(failure -> LOG.warnf("code pool gauges not refreshed: %s", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
