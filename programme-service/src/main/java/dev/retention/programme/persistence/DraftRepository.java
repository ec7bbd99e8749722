package dev.retention.programme.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Drafts by id. */
@ApplicationScoped
public class DraftRepository implements PanacheRepositoryBase<DraftEntity, UUID> {
}
