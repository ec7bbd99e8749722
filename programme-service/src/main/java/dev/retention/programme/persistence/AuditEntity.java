package dev.retention.programme.persistence;

import dev.retention.programme.domain.AuditAction;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.time.Instant;
import java.util.UUID;

/** One line of a programme's audit log (table programme_audit): who did what, when, to which draft or version, why. */
@Entity
@Immutable
@Table(name = "programme_audit")
public class AuditEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "programme_id", nullable = false)
    private String programmeId;
    @Column(nullable = false)
    private String actor;
    @Column(nullable = false)
    private Instant at;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AuditAction action;
    @Column(name = "draft_id")
    private UUID draftId;
    private Integer version;
    private String reason;

    protected AuditEntity() {
    }

    public AuditEntity(String programmeId, String actor, Instant at, AuditAction action, UUID draftId, Integer version,
                       String reason) {
        this.programmeId = programmeId;
        this.actor = actor;
        this.at = at;
        this.action = action;
        this.draftId = draftId;
        this.version = version;
        this.reason = reason;
    }

    public Long id() {
        return id;
    }

    public String programmeId() {
        return programmeId;
    }

    public String actor() {
        return actor;
    }

    public Instant at() {
        return at;
    }

    public AuditAction action() {
        return action;
    }

    public UUID draftId() {
        return draftId;
    }

    public Integer version() {
        return version;
    }

    public String reason() {
        return reason;
    }
}
