package dev.retention.programme.application;

import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.EventOutbox;
import dev.retention.programme.domain.AuditAction;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/**
 * An admin rolls the programme back to an earlier version: its document is published again as a new version (versions
 * are immutable and numbered in the order they take effect), with {@code restoredFrom} naming the earlier one. The
 * same checks as any publication apply, the currencies in use included.
 */
@ApplicationScoped
public class RollBack {

    private final Publication publication;
    private final EventOutbox outbox;

    public RollBack(Publication publication, EventOutbox outbox) {
        this.publication = publication;
        this.outbox = outbox;
    }

    public Uni<ProgrammeVersion> rollBack(String programmeId, int toVersion, Instant effectiveFrom, String reason,
                                          String actor) {
        return Panache.withTransaction(() -> publication.lockedTimeline(programmeId)
                        .chain(timeline -> {
                            if (timeline.versions().isEmpty()) {
                                return Uni.createFrom().failure(new ProgrammeProblems.ProgrammeNotFound(programmeId));
                            }
                            return timeline.version(toVersion)
                                    .map(earlier -> publication.append(timeline, new Publication.Candidate(
                                            ProgrammeJson.tree(earlier.document()), effectiveFrom, reason, actor,
                                            toVersion, AuditAction.ROLLED_BACK, null)))
                                    .orElseGet(() -> Uni.createFrom().failure(new ProgrammeProblems.PublicationRefused(
                                            List.of(new FieldViolation("toVersion", "programme " + programmeId
                                                    + " has no version " + toVersion + " (latest: "
                                                    + timeline.latest().orElseThrow().version() + ")")))));
                        }))
                .invoke(outbox::committed);
    }
}
