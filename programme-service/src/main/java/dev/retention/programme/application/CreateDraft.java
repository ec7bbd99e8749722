package dev.retention.programme.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.programme.domain.AuditAction;
import dev.retention.programme.persistence.AuditEntity;
import dev.retention.programme.persistence.AuditRepository;
import dev.retention.programme.persistence.DraftEntity;
import dev.retention.programme.persistence.DraftRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** A marketer or an admin starts a new draft of a programme: any JSON object, checked only when validated. */
@ApplicationScoped
public class CreateDraft {

    private final DraftRepository drafts;
    private final AuditRepository audit;
    private final Clock clock;

    public CreateDraft(DraftRepository drafts, AuditRepository audit, Clock clock) {
        this.drafts = drafts;
        this.audit = audit;
        this.clock = clock;
    }

    public Uni<Draft> create(String programmeId, JsonNode document, String note, String actor) {
        Instant now = clock.instant();
        DraftEntity draft = new DraftEntity(UUID.randomUUID(), programmeId, ProgrammeDocuments.text(document), note,
                actor, now);
        return Panache.withTransaction(() -> drafts.persist(draft)
                .chain(() -> audit.persist(new AuditEntity(programmeId, actor, now, AuditAction.DRAFT_CREATED,
                        draft.id(), null, note)))
                .replaceWith(() -> ProgrammeDocuments.draft(draft)));
    }
}
