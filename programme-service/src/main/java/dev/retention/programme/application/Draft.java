package dev.retention.programme.application;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/** A draft as the use cases hand it out. */
public record Draft(UUID id, String programmeId, JsonNode document, String note, String createdBy, Instant createdAt,
                    String updatedBy, Instant updatedAt) {
}
