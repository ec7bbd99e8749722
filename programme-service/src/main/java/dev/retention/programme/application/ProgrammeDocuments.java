package dev.retention.programme.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.programme.persistence.AuditEntity;
import dev.retention.programme.persistence.DraftEntity;
import dev.retention.programme.persistence.VersionEntity;

import java.util.List;

/** Between the stored rows (documents as JSON text) and what the use cases hand out. */
final class ProgrammeDocuments {

    private ProgrammeDocuments() {
    }

    static String text(JsonNode document) {
        try {
            return ContractJson.mapper().writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the document as JSON", e);
        }
    }

    static JsonNode tree(String text) {
        try {
            return ContractJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored document is not JSON", e);
        }
    }

    static ProgrammeVersion version(VersionEntity row) {
        return new ProgrammeVersion(row.version(), row.effectiveFrom(), row.publishedAt(), row.publishedBy(),
                row.reason(), row.restoredFrom(), ProgrammeJson.read(tree(row.document())));
    }

    static ProgrammeTimeline timeline(String programmeId, List<VersionEntity> rows) {
        return new ProgrammeTimeline(programmeId, rows.stream().map(ProgrammeDocuments::version).toList());
    }

    static Draft draft(DraftEntity row) {
        return new Draft(row.id(), row.programmeId(), tree(row.document()), row.note(), row.createdBy(),
                row.createdAt(), row.updatedBy(), row.updatedAt());
    }

    static AuditEntry audit(AuditEntity row) {
        return new AuditEntry(row.id(), row.programmeId(), row.actor(), row.at(), row.action(), row.draftId(),
                row.version(), row.reason());
    }
}
