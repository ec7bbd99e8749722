package dev.retention.programme.application;

import dev.retention.programme.domain.AuditAction;

import java.time.Instant;
import java.util.UUID;

/** One line of a programme's audit log. {@code draftId} and {@code version} where the action concerns them. */
public record AuditEntry(long id, String programmeId, String actor, Instant at, AuditAction action, UUID draftId,
                         Integer version, String reason) {
}
