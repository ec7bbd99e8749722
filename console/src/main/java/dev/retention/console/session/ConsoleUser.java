package dev.retention.console.session;

import java.util.Set;

/**
 * The signed-in user as their token says: who, and with which roles. The console shows and offers by these roles; the
 * services decide by the same token, so hiding a button is convenience, never the check.
 */
public record ConsoleUser(String subject, Set<String> roles, String token, boolean viaProxy) {

    public static final String ADMIN = "admin";
    public static final String MARKETER = "marketer";
    public static final String SUPPORT = "support";
    public static final String ANALYST = "analyst";

    public boolean has(String role) {
        return roles.contains(role);
    }

    /** Customer 360: support answers customers, and admins (analysts see aggregates only). */
    public boolean seesCustomers() {
        return has(SUPPORT) || has(ADMIN);
    }

    /** A manual points adjustment (support within its limit, admin beyond it). */
    public boolean adjustsPoints() {
        return has(SUPPORT) || has(ADMIN);
    }

    /** Redeeming a reward on a customer's behalf. */
    public boolean redeemsForCustomers() {
        return has(SUPPORT) || has(ADMIN);
    }

    public boolean erasesCustomers() {
        return has(ADMIN);
    }

    /** Programme versions, drafts, validation and simulation. */
    public boolean editsProgramme() {
        return has(MARKETER) || has(ADMIN);
    }

    /** Publishing a version and rolling back: admins only. */
    public boolean publishesProgramme() {
        return has(ADMIN);
    }

    public boolean managesRewards() {
        return has(ADMIN) || has(MARKETER);
    }

    public boolean seesCampaigns() {
        return has(MARKETER) || has(ADMIN) || has(SUPPORT) || has(ANALYST);
    }

    public boolean runsCampaigns() {
        return has(MARKETER) || has(ADMIN);
    }

    public boolean readsInsights() {
        return has(ANALYST) || has(ADMIN);
    }

    /** Never the token: a user written to a log must not hand it on. */
    @Override
    public String toString() {
        return "ConsoleUser[" + subject + ", " + roles + "]";
    }

    public String rolesText() {
        return String.join(", ", roles.stream().sorted().toList());
    }
}
