package dev.retention.programme.api;

import dev.retention.eventing.api.CustomerAccess;

/** Who may change the programme (roles in the token's groups claim, docs/security.md). */
public final class ProgrammeRoles {

    /** Drafts, validates (and, later, simulates) programme changes and reads the programme; never publishes. */
    public static final String MARKETER = CustomerAccess.MARKETER;
    /** Everything a marketer does, and publishes and rolls back. */
    public static final String ADMIN = CustomerAccess.ADMIN;

    private ProgrammeRoles() {
    }
}
