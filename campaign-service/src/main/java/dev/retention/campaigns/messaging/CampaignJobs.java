package dev.retention.campaigns.messaging;

import dev.retention.campaigns.application.ApologiseForOverdueShipments;
import dev.retention.campaigns.application.OfferBirthdays;
import dev.retention.campaigns.application.OfferWinBacks;
import dev.retention.campaigns.application.RemindCarts;
import dev.retention.campaigns.application.RequestReviews;
import dev.retention.campaigns.application.RunSegmentCampaigns;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The schedule of the time-based triggers: overdue shipments, birthdays, win-back and review requests, segment
 * campaigns and cart reminders, one after the other. Each is a use case of its own ({@code application}); replicas may run them at
 * the same time, as each locks its due rows with SKIP LOCKED.
 */
@ApplicationScoped
public class CampaignJobs {

    private static final Logger LOG = Logger.getLogger(CampaignJobs.class);

    private final ApologiseForOverdueShipments overdueShipments;
    private final OfferBirthdays birthdays;
    private final OfferWinBacks winBacks;
    private final RequestReviews reviewRequests;
    private final RunSegmentCampaigns segmentOffers;
    private final RemindCarts cartReminders;

    public CampaignJobs(ApologiseForOverdueShipments overdueShipments, OfferBirthdays birthdays,
                        OfferWinBacks winBacks, RequestReviews reviewRequests, RunSegmentCampaigns segmentOffers,
                        RemindCarts cartReminders) {
        this.cartReminders = cartReminders;
        this.overdueShipments = overdueShipments;
        this.birthdays = birthdays;
        this.winBacks = winBacks;
        this.reviewRequests = reviewRequests;
        this.segmentOffers = segmentOffers;
    }

    @Scheduled(every = "${retention.campaigns.jobs.every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return runAll().onFailure().invoke(failure -> LOG.warnf("campaign job failed, next run retries: %s", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Runs every job until nothing is due; returns the events published (triggers fired and held out). */
    public Uni<Integer> runAll() {
        return overdueShipments()
                .chain(published -> birthdays().map(more -> published + more))
                .chain(published -> winBacks().map(more -> published + more))
                .chain(published -> reviewRequests().map(more -> published + more))
                .chain(published -> segmentOffers().map(more -> published + more))
                .chain(published -> cartReminders().map(more -> published + more));
    }

    public Uni<Integer> overdueShipments() {
        return overdueShipments.run();
    }

    public Uni<Integer> birthdays() {
        return birthdays.run();
    }

    public Uni<Integer> winBacks() {
        return winBacks.run();
    }

    public Uni<Integer> reviewRequests() {
        return reviewRequests.run();
    }

    public Uni<Integer> segmentOffers() {
        return segmentOffers.run();
    }

    public Uni<Integer> cartReminders() {
        return cartReminders.run();
    }
}
