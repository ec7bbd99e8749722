package dev.retention.programme.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.programme.config.ProgrammeConfig;
import dev.retention.programme.domain.AuditAction;
import dev.retention.programme.domain.PublicationRules;
import dev.retention.programme.persistence.AuditEntity;
import dev.retention.programme.persistence.AuditRepository;
import dev.retention.programme.persistence.ProgrammeOutbox;
import dev.retention.programme.persistence.VersionEntity;
import dev.retention.programme.persistence.VersionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * What every publication does (a draft's, a roll-back's, the first start's), inside the caller's transaction: lock the
 * programme, read its timeline, check the document and the time it takes effect, write the version and its audit line,
 * and put programme.published with every version so far into the outbox.
 *
 * <p>One transaction: the version, the audit line and the outbox row all go through the one Hibernate Reactive session
 * of the caller's {@code Panache.withTransaction} (the outbox row by a native statement, {@link ProgrammeOutbox}), so
 * either the version exists and its event will be relayed to {@code retention.programme}, or neither.
 */
@ApplicationScoped
public class Publication {

    public static final String SOURCE = "/programme-service";

    private final VersionRepository versions;
    private final AuditRepository audit;
    private final ProgrammeOutbox outbox;
    private final Clock clock;
    private final Duration activationDelay;

    public Publication(VersionRepository versions, AuditRepository audit, ProgrammeOutbox outbox, Clock clock,
                       ProgrammeConfig config) {
        this.versions = versions;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
        this.activationDelay = config.activationDelay();
    }

    /**
     * A new version to publish.
     *
     * @param effectiveFrom null: now + the activation delay
     * @param restoredFrom  a roll-back's source version, else null
     * @param draftId       the published draft, else null
     */
    public record Candidate(JsonNode document, Instant effectiveFrom, String reason, String actor,
                            Integer restoredFrom, AuditAction action, UUID draftId) {
    }

    /** Takes the programme's publication lock (until the transaction ends), then reads every version. */
    Uni<ProgrammeTimeline> lockedTimeline(String programmeId) {
        return versions.lockForPublication(programmeId)
                .chain(() -> versions.allOf(programmeId))
                .map(rows -> ProgrammeDocuments.timeline(programmeId, rows));
    }

    /** Publishes {@code candidate} after {@code timeline} (read under the lock); refused with every violation found. */
    Uni<ProgrammeVersion> append(ProgrammeTimeline timeline, Candidate candidate) {
        return append(timeline, candidate, activationDelay);
    }

    /** The same, with {@code delay} instead of the configured activation delay when no effectiveFrom is given. */
    Uni<ProgrammeVersion> append(ProgrammeTimeline timeline, Candidate candidate, Duration delay) {
        Instant now = clock.instant();
        List<FieldViolation> invalid = ProgrammeJson.violations(candidate.document(),
                PublicationRules.currenciesInUse(timeline, now));
        if (!invalid.isEmpty()) {
            return Uni.createFrom().failure(new ProgrammeProblems.InvalidProgramme(invalid));
        }
        Instant effectiveFrom = PublicationRules.effectiveFrom(candidate.effectiveFrom(), now, delay);
        List<FieldViolation> untimely = PublicationRules.timingViolations(effectiveFrom, now, timeline);
        if (!untimely.isEmpty()) {
            return Uni.createFrom().failure(new ProgrammeProblems.PublicationRefused(untimely));
        }
        ProgrammeVersion version = new ProgrammeVersion(PublicationRules.nextVersion(timeline), effectiveFrom,
                now.truncatedTo(ChronoUnit.MICROS), candidate.actor(), candidate.reason(),
                candidate.restoredFrom(), ProgrammeJson.read(candidate.document()));
        ProgrammeTimeline published = timeline.with(version);
        String programmeId = timeline.programmeId();
        return versions.persist(new VersionEntity(programmeId, version.version(), version.effectiveFrom(),
                        version.publishedAt(), version.publishedBy(), version.reason(), version.restoredFrom(),
                        ProgrammeDocuments.text(ProgrammeJson.tree(version.document()))))
                .chain(() -> audit.persist(new AuditEntity(programmeId, candidate.actor(), version.publishedAt(),
                        candidate.action(), candidate.draftId(), version.version(), candidate.reason())))
                .chain(() -> outbox.append(event(published, version)))
                .replaceWith(version);
    }

    /** programme.published with every version so far; its id is the same whenever this version is published. */
    static EventEnvelope<ProgrammePublished> event(ProgrammeTimeline timeline, ProgrammeVersion newest) {
        String id = EventIds.derive(timeline.programmeId() + "/" + newest.version(), "programme.published");
        return EventEnvelope.of(id, SOURCE, newest.publishedAt(), timeline.programmeId(),
                new ProgrammePublished(timeline.programmeId(), timeline.versions()));
    }
}
