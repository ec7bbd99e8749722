package dev.retention.programme.application;

import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.programme.domain.AuditAction;
import dev.retention.programme.domain.PublicationRules;
import dev.retention.programme.persistence.AuditEntity;
import dev.retention.programme.persistence.AuditRepository;
import dev.retention.programme.persistence.DraftEntity;
import dev.retention.programme.persistence.DraftRepository;
import dev.retention.programme.persistence.VersionRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Checks a draft as a publication would: the schema, then the programme's rules, with the currencies of the version in
 * force now as the currencies in use (orders come in them, so a new version must give each a rate). The audit records
 * the check and how many violations it found.
 */
@ApplicationScoped
public class ValidateDraft {

    private final DraftRepository drafts;
    private final VersionRepository versions;
    private final AuditRepository audit;
    private final Clock clock;

    public ValidateDraft(DraftRepository drafts, VersionRepository versions, AuditRepository audit, Clock clock) {
        this.drafts = drafts;
        this.versions = versions;
        this.audit = audit;
        this.clock = clock;
    }

    /** Every violation, by JSON path from the document's root ({@code $}); empty when the draft may be published. */
    public Uni<List<FieldViolation>> validate(UUID id, String actor) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> drafts.findById(id)
                .onItem().ifNull().failWith(() -> new ProgrammeProblems.DraftNotFound(id))
                .chain(draft -> versions.allOf(draft.programmeId())
                        .map(rows -> ProgrammeJson.violations(ProgrammeDocuments.tree(draft.document()),
                                PublicationRules.currenciesInUse(
                                        ProgrammeDocuments.timeline(draft.programmeId(), rows), now)))
                        .call(violations -> audit.persist(auditLine(draft, actor, now, violations)))));
    }

    private static AuditEntity auditLine(DraftEntity draft, String actor, Instant now, List<FieldViolation> violations) {
        String outcome = violations.isEmpty() ? "valid" : "invalid: " + violations.size() + " violation(s)";
        return new AuditEntity(draft.programmeId(), actor, now, AuditAction.VALIDATED, draft.id(), null, outcome);
    }
}
