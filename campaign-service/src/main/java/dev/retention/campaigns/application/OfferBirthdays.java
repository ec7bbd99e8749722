package dev.retention.campaigns.application;

import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.CampaignRules;
import dev.retention.campaigns.persistence.CampaignStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The birthday offers whose send time has come, each scheduling next year's. Due customers come from an indexed
 * range, a chunk per transaction, locked with SKIP LOCKED: replicas share the work and never wait for the consumer.
 */
@ApplicationScoped
public class OfferBirthdays {

    private final CampaignUnitOfWork unitOfWork;
    private final CampaignStore store;
    private final CampaignRules rules;
    private final int chunkSize;

    public OfferBirthdays(CampaignUnitOfWork unitOfWork, CampaignStore store, CampaignRules rules,
                          CampaignsConfig config) {
        this.unitOfWork = unitOfWork;
        this.store = store;
        this.rules = rules;
        this.chunkSize = config.jobs().batchSize();
    }

    /** Until nothing is due; returns the triggers published. */
    public Uni<Integer> run() {
        return unitOfWork.inChunks((tx, now) -> DueCustomers.offer(unitOfWork, tx,
                store.lockDueBirthdays(tx, now, chunkSize), now, customer -> rules.birthdayDue(customer, now)));
    }
}
