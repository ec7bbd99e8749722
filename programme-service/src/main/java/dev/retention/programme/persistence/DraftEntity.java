package dev.retention.programme.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/** A programme document being worked on (table programme_draft): any JSON object until it is published. */
@Entity
@Table(name = "programme_draft")
public class DraftEntity {

    @Id
    private UUID id;
    @Column(name = "programme_id", nullable = false)
    private String programmeId;
    /** The document as JSON text, stored as jsonb. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String document;
    private String note;
    @Column(name = "created_by", nullable = false)
    private String createdBy;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_by", nullable = false)
    private String updatedBy;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected DraftEntity() {
    }

    public DraftEntity(UUID id, String programmeId, String document, String note, String createdBy, Instant createdAt) {
        this.id = id;
        this.programmeId = programmeId;
        this.document = document;
        this.note = note;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.updatedBy = createdBy;
        this.updatedAt = createdAt;
    }

    /** A new document (and note) for this draft, by {@code actor} at {@code at}. */
    public void revise(String newDocument, String newNote, String actor, Instant at) {
        this.document = newDocument;
        this.note = newNote;
        this.updatedBy = actor;
        this.updatedAt = at;
    }

    public UUID id() {
        return id;
    }

    public String programmeId() {
        return programmeId;
    }

    public String document() {
        return document;
    }

    public String note() {
        return note;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String updatedBy() {
        return updatedBy;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
