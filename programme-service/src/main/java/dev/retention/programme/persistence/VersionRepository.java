package dev.retention.programme.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** A programme's published versions, and the lock that numbers them one at a time. */
@ApplicationScoped
public class VersionRepository implements PanacheRepositoryBase<VersionEntity, VersionEntity.Key> {

    /**
     * The first key of the publication lock (any constant; the second is the programme id's hash). A two-key advisory
     * lock never conflicts with the eventing kit's one-key relay lock.
     */
    private static final int PUBLICATION_LOCK = 0x7072_6f67;

    /**
     * Serialises publications of one programme until the transaction ends, on every replica: the next number and the
     * latest effectiveFrom are read after it, so two publications cannot both become version n. (The primary key
     * (programme_id, version) refuses a duplicate all the same.) Returns once the lock is held.
     */
    public Uni<Void> lockForPublication(String programmeId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(:kind, hashtext(:programme))) locked",
                        Long.class)
                .setParameter("kind", PUBLICATION_LOCK)
                .setParameter("programme", programmeId)
                .getSingleResult())
                .replaceWithVoid();
    }

    /** Every version of the programme, oldest first. */
    public Uni<List<VersionEntity>> allOf(String programmeId) {
        return find("programmeId = ?1 order by version", programmeId).list();
    }
}
