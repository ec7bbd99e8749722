package dev.retention.programme.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.programme.application.AuditEntry;
import dev.retention.programme.application.Draft;
import dev.retention.programme.application.ReadProgramme;
import dev.retention.programme.domain.AuditAction;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Max;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.validator.constraints.CodePointLength;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the programme API. */
public final class ProgrammeViews {

    private ProgrammeViews() {
    }

    /** A draft's content: the programme document (schemas/programme.json once valid) and an optional note. */
    public record DraftRequest(
            @JsonObject @Schema(required = true,
                    description = "the programme document (contracts' schemas/programme.json); checked on validation "
                            + "and publication, not here")
            JsonNode document,
            @CodePointLength(max = 1000) @Schema(maxLength = 1000, description = "what the draft is for, in the author's words")
            String note) {
    }

    public record DraftView(UUID id, String programmeId,
                            @Schema(required = true) JsonNode document,
                            String note, String createdBy, Instant createdAt, String updatedBy, Instant updatedAt) {
        static DraftView of(Draft draft) {
            return new DraftView(draft.id(), draft.programmeId(), draft.document(), draft.note(), draft.createdBy(),
                    draft.createdAt(), draft.updatedBy(), draft.updatedAt());
        }
    }

    public record Violation(String field, String problem) {
        static Violation of(FieldViolation violation) {
            return new Violation(violation.field(), violation.problem());
        }
    }

    /** A valid draft: {@code valid} is true and there are no violations (an invalid one is answered 422). */
    public record ValidationView(boolean valid, List<Violation> violations) {
    }

    /**
     * @param effectiveFrom when the version takes effect; absent: now plus retention.programme.activation-delay
     */
    public record PublicationRequest(
            @Schema(description = "when the version takes effect (RFC 3339); not in the past and after the latest "
                    + "version's; absent: now plus the activation delay (retention.programme.activation-delay)")
            Instant effectiveFrom,
            @NotBlank @CodePointLength(max = 500) @Schema(required = true, maxLength = 500, description = "why, for the audit")
            String reason) {
    }

    public record RollbackRequest(
            @NotNull @Min(1) @Max(Integer.MAX_VALUE)
            @Schema(required = true, description = "the earlier version whose document is published again")
            Integer toVersion,
            @Schema(description = "as for a publication")
            Instant effectiveFrom,
            @NotBlank @CodePointLength(max = 500) @Schema(required = true, maxLength = 500, description = "why, for the audit")
            String reason) {
    }

    /** A version without its document. */
    public record VersionSummary(int version, Instant effectiveFrom, Instant publishedAt, String publishedBy,
                                 String reason, Integer restoredFrom) {
        static VersionSummary of(ProgrammeVersion version) {
            return new VersionSummary(version.version(), version.effectiveFrom(), version.publishedAt(),
                    version.publishedBy(), version.reason(), version.restoredFrom());
        }
    }

    public record VersionView(String programmeId, int version, Instant effectiveFrom, Instant publishedAt,
                              String publishedBy, String reason,
                              @Schema(description = "set when a roll-back published that earlier version's document again")
                              Integer restoredFrom,
                              @Schema(required = true) JsonNode document) {
        static VersionView of(String programmeId, ProgrammeVersion version) {
            return new VersionView(programmeId, version.version(), version.effectiveFrom(), version.publishedAt(),
                    version.publishedBy(), version.reason(), version.restoredFrom(),
                    ProgrammeJson.tree(version.document()));
        }
    }

    /**
     * @param inForce  the version in force now, with its document; null before the first takes effect
     * @param latest   the latest version published (it may take effect later)
     * @param versions every version, oldest first
     */
    public record ProgrammeView(String programmeId, Instant at, VersionView inForce, VersionSummary latest,
                                List<VersionSummary> versions) {
        static ProgrammeView of(ReadProgramme.Overview overview) {
            String id = overview.timeline().programmeId();
            return new ProgrammeView(id, overview.at(),
                    overview.inForce().map(v -> VersionView.of(id, v)).orElse(null),
                    overview.timeline().latest().map(VersionSummary::of).orElseThrow(),
                    overview.timeline().versions().stream().map(VersionSummary::of).toList());
        }
    }

    public record AuditView(long id, String actor, Instant at, AuditAction action, UUID draftId, Integer version,
                            String reason) {
        static AuditView of(AuditEntry entry) {
            return new AuditView(entry.id(), entry.actor(), entry.at(), entry.action(), entry.draftId(),
                    entry.version(), entry.reason());
        }
    }

    /** @param nextBefore pass as {@code before} for the next (older) page; null on the last page */
    public record AuditPage(String programmeId, List<AuditView> entries, Long nextBefore) {
    }
}
