package dev.retention.programme.domain;

/** What somebody did to a programme, as its audit log records it. */
public enum AuditAction {
    DRAFT_CREATED,
    DRAFT_UPDATED,
    VALIDATED,
    /** Reserved for the simulation of a draft on the recorded history (not in this release). */
    SIMULATED,
    PUBLISHED,
    ROLLED_BACK
}
