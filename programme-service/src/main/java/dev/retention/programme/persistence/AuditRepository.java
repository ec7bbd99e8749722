package dev.retention.programme.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** A programme's audit log. */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEntity, Long> {

    /** The newest {@code limit} entries of the programme with an id below {@code before} (all when null), newest first. */
    public Uni<List<AuditEntity>> newestOf(String programmeId, Long before, int limit) {
        var query = before == null
                ? find("programmeId = ?1 order by id desc", programmeId)
                : find("programmeId = ?1 and id < ?2 order by id desc", programmeId, before);
        return query.page(Page.ofSize(limit)).list();
    }
}
