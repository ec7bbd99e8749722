package dev.retention.eventing.programme;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.BatchHandler;
import dev.retention.eventing.EventRejectedException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;

/**
 * Accepts a published programme timeline when its versions follow each other in time, each document keeps the
 * programme's rules ({@link ProgrammeRules}) and every {@link ProgrammeCheck} of the service can apply each version, stores it in the batch's transaction and puts it in force after the commit. A timeline the service cannot
 * apply is dead-lettered with every problem, and the versions it had stay in force.
 */
@ApplicationScoped
public class ApplyPublishedProgramme implements BatchHandler {

    private static final Logger LOG = Logger.getLogger(ApplyPublishedProgramme.class);

    private final ProgrammeVersions versions;
    private final Instance<ProgrammeCheck> checks;
    private volatile ProgrammeTimeline stored;

    public ApplyPublishedProgramme(ProgrammeVersions versions, Instance<ProgrammeCheck> checks) {
        this.versions = versions;
        this.checks = checks;
    }

    @Override
    public Set<EventType> eventTypes() {
        return Set.of(EventType.PROGRAMME_PUBLISHED);
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection transaction, List<EventEnvelope<?>> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (EventEnvelope<?> event : events) {
            if (!(event.data() instanceof ProgrammePublished published)
                    || !published.programmeId().equals(versions.programmeId())) {
                continue; // another programme's versions: not this deployment's rules
            }
            ProgrammeTimeline timeline = published.timeline();
            List<String> problems = problems(timeline);
            if (!problems.isEmpty()) {
                versions.rejected();
                LOG.errorf("programme %s with %d versions cannot be applied, keeping the versions in force: %s",
                        timeline.programmeId(), timeline.versions().size(), problems);
                throw new EventRejectedException(String.join("; ", problems));
            }
            chain = chain.chain(() -> ProgrammeStore.save(transaction, timeline))
                    .invoke(saved -> {
                        if (saved) {
                            stored = timeline;
                        }
                    })
                    .replaceWithVoid();
        }
        return chain.replaceWith(List.of());
    }

    @Override
    public void committed() {
        ProgrammeTimeline accepted = stored;
        if (accepted != null) {
            stored = null;
            versions.accepted(accepted);
            LOG.infof("programme %s: %d versions accepted, the latest (%d) in force from %s", accepted.programmeId(),
                    accepted.versions().size(), accepted.latest().map(ProgrammeVersion::version).orElse(0),
                    accepted.latest().map(ProgrammeVersion::effectiveFrom).orElse(null));
        }
    }

    private List<String> problems(ProgrammeTimeline timeline) {
        return ProgrammeAcceptance.problems(timeline, checks);
    }
}
