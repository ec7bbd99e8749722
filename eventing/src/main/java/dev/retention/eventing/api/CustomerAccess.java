package dev.retention.eventing.api;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who calls, and for which customer they may act. Every API authenticates a signed JWT (issuer and public key from
 * configuration) whose {@code groups} claim holds the roles; each endpoint names the roles it admits
 * ({@code @RolesAllowed}) and, when it is about one customer, asks {@link #requireCustomer} as well.
 */
@RequestScoped
public class CustomerAccess {

    /** Campaigns and adjustments; reads everything. */
    public static final String ADMIN = "admin";
    /** Reads any customer; manual adjustments within a limit. */
    public static final String SUPPORT = "support";
    /** Read-only aggregates: tier definitions, campaigns and their counts. */
    public static final String ANALYST = "analyst";
    /** A shop's storefront acting for one customer: the token's subject is that customer's id. */
    public static final String STOREFRONT = "storefront";
    /** Drafts and simulates programme changes (docs/programme.md); never publishes, reads no customer. */
    public static final String MARKETER = "marketer";

    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public CustomerAccess(SecurityIdentity identity, JsonWebToken token) {
        this.identity = identity;
        this.token = token;
    }

    /**
     * Staff (admin, support) may act for any customer; a storefront token only for the customer it names. Anyone
     * else gets 403, so a token for customer A can never read or redeem for customer B.
     */
    public void requireCustomer(String customerId) {
        if (identity.hasRole(ADMIN) || identity.hasRole(SUPPORT)) {
            return;
        }
        if (identity.hasRole(STOREFRONT) && customerId != null && customerId.equals(token.getSubject())) {
            return;
        }
        throw new ApiProblem(403, "Forbidden", "NOT_YOUR_CUSTOMER",
                "this token may not act for customer " + customerId);
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    /** Who did it, for audit trails: the token's subject. */
    public String actor() {
        return token.getSubject();
    }
}
