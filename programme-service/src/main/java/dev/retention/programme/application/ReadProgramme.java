package dev.retention.programme.application;

import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.programme.persistence.AuditRepository;
import dev.retention.programme.persistence.DraftRepository;
import dev.retention.programme.persistence.VersionEntity;
import dev.retention.programme.persistence.VersionRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads: a programme's versions (the one in force now, the latest, every one), one version, a draft, the audit. */
@ApplicationScoped
public class ReadProgramme {

    private final VersionRepository versions;
    private final DraftRepository drafts;
    private final AuditRepository audit;
    private final Clock clock;

    public ReadProgramme(VersionRepository versions, DraftRepository drafts, AuditRepository audit, Clock clock) {
        this.versions = versions;
        this.drafts = drafts;
        this.audit = audit;
        this.clock = clock;
    }

    /** Every version, and the one in force at {@code at} (none before the first takes effect). */
    public record Overview(ProgrammeTimeline timeline, Instant at, Optional<ProgrammeVersion> inForce) {
    }

    public Uni<Overview> programme(String programmeId) {
        return Panache.withSession(() -> versions.allOf(programmeId))
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw new ProgrammeProblems.ProgrammeNotFound(programmeId);
                    }
                    ProgrammeTimeline timeline = ProgrammeDocuments.timeline(programmeId, rows);
                    Instant now = clock.instant();
                    return new Overview(timeline, now, timeline.inForceAt(now));
                });
    }

    public Uni<ProgrammeVersion> version(String programmeId, int version) {
        return Panache.withSession(() -> versions.findById(new VersionEntity.Key(programmeId, version)))
                .onItem().ifNull().failWith(() -> new ProgrammeProblems.VersionNotFound(programmeId, version))
                .map(ProgrammeDocuments::version);
    }

    public Uni<Draft> draft(UUID id) {
        return Panache.withSession(() -> drafts.findById(id))
                .onItem().ifNull().failWith(() -> new ProgrammeProblems.DraftNotFound(id))
                .map(ProgrammeDocuments::draft);
    }

    /** Newest first, {@code limit} at a time; {@code before}: the id of the last entry of the previous page. */
    public Uni<List<AuditEntry>> audit(String programmeId, Long before, int limit) {
        return Panache.withSession(() -> audit.newestOf(programmeId, before, limit))
                .map(rows -> rows.stream().map(ProgrammeDocuments::audit).toList());
    }
}
