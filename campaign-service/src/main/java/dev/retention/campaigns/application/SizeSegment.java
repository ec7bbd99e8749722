package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.CampaignProgramme;
import dev.retention.campaigns.domain.Segment;
import dev.retention.campaigns.domain.SegmentSize;
import dev.retention.campaigns.persistence.CampaignStore;
import dev.retention.eventing.programme.ProgrammePolicies;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;

/**
 * A segment's audience before a campaign is sent: counted in one statement by the same segment rule the campaign job
 * selects with ({@link RunSegmentCampaigns}) and the guards of the programme version in force now, which would decide
 * a campaign started now.
 */
@ApplicationScoped
public class SizeSegment {

    private final Pool pool;
    private final CampaignStore store;
    private final ProgrammePolicies<CampaignProgramme> programmes;
    private final Clock clock;

    public SizeSegment(Pool pool, CampaignStore store, ProgrammePolicies<CampaignProgramme> programmes, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.programmes = programmes;
        this.clock = clock;
    }

    /** The size and the instant it was counted at. */
    public record Counted(SegmentSize size, Instant at) {
    }

    public Uni<Counted> size(Segment segment) {
        Instant now = clock.instant();
        return store.segmentSize(pool, segment, now, programmes.at(now).guards()).map(size -> new Counted(size, now));
    }
}
