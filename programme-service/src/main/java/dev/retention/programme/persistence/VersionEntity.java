package dev.retention.programme.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A published version of a programme (table programme_version): written once, never changed. */
@Entity
@Immutable
@Table(name = "programme_version")
@IdClass(VersionEntity.Key.class)
public class VersionEntity {

    @Id
    @Column(name = "programme_id")
    private String programmeId;
    @Id
    private int version;
    @Column(name = "effective_from", nullable = false)
    private Instant effectiveFrom;
    @Column(name = "published_at", nullable = false)
    private Instant publishedAt;
    @Column(name = "published_by", nullable = false)
    private String publishedBy;
    @Column(nullable = false)
    private String reason;
    @Column(name = "restored_from")
    private Integer restoredFrom;
    /** The document as JSON text, stored as jsonb. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String document;

    protected VersionEntity() {
    }

    public VersionEntity(String programmeId, int version, Instant effectiveFrom, Instant publishedAt,
                         String publishedBy, String reason, Integer restoredFrom, String document) {
        this.programmeId = programmeId;
        this.version = version;
        this.effectiveFrom = effectiveFrom;
        this.publishedAt = publishedAt;
        this.publishedBy = publishedBy;
        this.reason = reason;
        this.restoredFrom = restoredFrom;
        this.document = document;
    }

    public String programmeId() {
        return programmeId;
    }

    public int version() {
        return version;
    }

    public Instant effectiveFrom() {
        return effectiveFrom;
    }

    public Instant publishedAt() {
        return publishedAt;
    }

    public String publishedBy() {
        return publishedBy;
    }

    public String reason() {
        return reason;
    }

    public Integer restoredFrom() {
        return restoredFrom;
    }

    public String document() {
        return document;
    }

    /** The primary key: programme and version number. */
    public static class Key implements Serializable {
        private String programmeId;
        private int version;

        public Key() {
        }

        public Key(String programmeId, int version) {
            this.programmeId = programmeId;
            this.version = version;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && version == other.version && Objects.equals(programmeId, other.programmeId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(programmeId, version);
        }
    }
}
