package dev.retention.programme.application;

import dev.retention.eventing.EventOutbox;
import dev.retention.programme.domain.AuditAction;
import dev.retention.programme.persistence.DraftRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/**
 * An admin publishes a draft as the programme's next version, effective at {@code effectiveFrom} (null: now plus the
 * activation delay). Refused when the draft is invalid, when effectiveFrom is in the past, or when it is not after the
 * latest version's. The version and its programme.published record commit together ({@link Publication}).
 */
@ApplicationScoped
public class PublishDraft {

    private final DraftRepository drafts;
    private final Publication publication;
    private final EventOutbox outbox;

    public PublishDraft(DraftRepository drafts, Publication publication, EventOutbox outbox) {
        this.drafts = drafts;
        this.publication = publication;
        this.outbox = outbox;
    }

    public Uni<Published> publish(UUID draftId, Instant effectiveFrom, String reason, String actor) {
        return Panache.withTransaction(() -> drafts.findById(draftId)
                        .onItem().ifNull().failWith(() -> new ProgrammeProblems.DraftNotFound(draftId))
                        .chain(draft -> publication.lockedTimeline(draft.programmeId())
                                .chain(timeline -> publication.append(timeline, new Publication.Candidate(
                                        ProgrammeDocuments.tree(draft.document()), effectiveFrom, reason, actor, null,
                                        AuditAction.PUBLISHED, draftId)))
                                .map(version -> new Published(draft.programmeId(), version))))
                .invoke(outbox::committed);
    }
}
