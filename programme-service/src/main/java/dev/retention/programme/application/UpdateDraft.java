package dev.retention.programme.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.programme.domain.AuditAction;
import dev.retention.programme.persistence.AuditEntity;
import dev.retention.programme.persistence.AuditRepository;
import dev.retention.programme.persistence.DraftRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** Replaces a draft's document (and note); the draft keeps its id, the audit says who changed it. */
@ApplicationScoped
public class UpdateDraft {

    private final DraftRepository drafts;
    private final AuditRepository audit;
    private final Clock clock;

    public UpdateDraft(DraftRepository drafts, AuditRepository audit, Clock clock) {
        this.drafts = drafts;
        this.audit = audit;
        this.clock = clock;
    }

    public Uni<Draft> update(UUID id, JsonNode document, String note, String actor) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> drafts.findById(id)
                .onItem().ifNull().failWith(() -> new ProgrammeProblems.DraftNotFound(id))
                .invoke(draft -> draft.revise(ProgrammeDocuments.text(document), note, actor, now))
                .call(draft -> audit.persist(new AuditEntity(draft.programmeId(), actor, now,
                        AuditAction.DRAFT_UPDATED, id, null, note)))
                .map(ProgrammeDocuments::draft));
    }
}
