package dev.retention.programme.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.EventOutbox;
import dev.retention.programme.config.ProgrammeConfig;
import dev.retention.programme.domain.AuditAction;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * First start: a programme without any version gets version 1, the initial programme (today's defaults of the
 * services' configuration, or the file {@code retention.programme.initial-document} names), effective at once (effectiveFrom = now), so
 * nothing changes for an existing deployment until somebody publishes. Idempotent across restarts and replicas: the
 * check for an existing version runs under the programme's publication lock, so only the first caller publishes.
 */
@ApplicationScoped
public class PublishInitialProgramme {

    public static final String PUBLISHER = "system";
    public static final String REASON = "initial programme from configuration";

    private final Publication publication;
    private final EventOutbox outbox;
    private final ProgrammeConfig config;

    public PublishInitialProgramme(Publication publication, EventOutbox outbox, ProgrammeConfig config) {
        this.publication = publication;
        this.outbox = outbox;
        this.config = config;
    }

    /** Version 1 of the configured programme if it has none yet; empty when it had one. */
    public Uni<Optional<ProgrammeVersion>> publishIfNone() {
        return publishIfNone(config.id());
    }

    public Uni<Optional<ProgrammeVersion>> publishIfNone(String programmeId) {
        JsonNode document = initialDocument();
        return Panache.withTransaction(() -> publication.lockedTimeline(programmeId)
                        .chain(timeline -> timeline.versions().isEmpty()
                                ? publication.append(timeline, new Publication.Candidate(document, null, REASON,
                                        PUBLISHER, null, AuditAction.PUBLISHED, null), Duration.ZERO).map(Optional::of)
                                : Uni.createFrom().item(Optional.<ProgrammeVersion>empty())))
                .invoke(published -> published.ifPresent(v -> outbox.committed()));
    }

    private JsonNode initialDocument() {
        return config.initialDocument().map(PublishInitialProgramme::read).orElseGet(ProgrammeJson::initialTree);
    }

    private static JsonNode read(Path file) {
        try {
            return ContractJson.mapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("retention.programme.initial-document: cannot read " + file, e);
        }
    }
}
