package dev.retention.eventing.programme;

import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The versions of this deployment's programme that the service has accepted: kept in its own database (so a restart
 * knows them before the topic is read again) and in memory, where every event asks which version was in force at its
 * business time. One replica of the service consumes a published record (one consumer group); every replica reads
 * the stored timeline again every {@code retention.programme.refresh}, well within the delay programme-service
 * leaves between publishing a version and its taking effect.
 */
@ApplicationScoped
public class ProgrammeVersions {

    private static final Logger LOG = Logger.getLogger(ProgrammeVersions.class);

    private final String programmeId;
    private final Pool pool;
    private volatile ProgrammeTimeline timeline;
    private volatile boolean lastRecordRejected;

    private final Duration refresh;
    private final Vertx vertx;

    public ProgrammeVersions(@ConfigProperty(name = "retention.programme.id", defaultValue = "default") String programmeId,
                             @ConfigProperty(name = "retention.programme.refresh", defaultValue = "5s") Duration refresh,
                             Pool pool, Vertx vertx, MeterRegistry registry) {
        this.programmeId = programmeId;
        this.refresh = refresh;
        this.pool = pool;
        this.vertx = vertx;
        this.timeline = ProgrammeTimeline.empty(programmeId);
        // One instance per application; a registry that outlives an application (tests restart them in one JVM)
        // would otherwise keep reporting the first instance's versions.
        registry.find("retention.programme.version.in.force").meters().forEach(registry::remove);
        registry.find("retention.programme.versions.rejected").meters().forEach(registry::remove);
        Gauge.builder("retention.programme.version.in.force", this,
                        versions -> versions.inForceAt(Instant.now()).map(ProgrammeVersion::version).orElse(0))
                .description("Version of the programme in force now; 0 while the configured baseline applies")
                .strongReference(true)
                .register(registry);
        Gauge.builder("retention.programme.versions.rejected", this, versions -> versions.lastRecordRejected ? 1 : 0)
                .description("1 while the latest programme record received could not be applied (dead-lettered);"
                        + " the service keeps the versions it had")
                .strongReference(true)
                .register(registry);
    }

    /** The stored timeline, if any (startup, and every replica's periodic re-read). */
    Uni<Optional<ProgrammeTimeline>> stored() {
        return ProgrammeStore.load(pool, programmeId);
    }

    /** Re-reads the stored timeline every {@code retention.programme.refresh}: another replica may have stored one. */
    void refreshPeriodically() {
        vertx.setPeriodic(refresh.toMillis(), timer -> stored().subscribe().with(
                found -> found.filter(newer -> newer.versions().size() > timeline.versions().size())
                        .ifPresent(this::accepted),
                failure -> LOG.warnf("cannot refresh the programme's versions: %s", failure.toString())));
    }

    public String programmeId() {
        return programmeId;
    }

    public ProgrammeTimeline timeline() {
        return timeline;
    }

    public Optional<ProgrammeVersion> inForceAt(Instant businessTime) {
        return timeline.inForceAt(businessTime);
    }

    public Optional<ProgrammeVersion> inForceNow(Clock clock) {
        return inForceAt(clock.instant());
    }

    /** A stored timeline read at startup: in force, whatever the rejection state. */
    void loaded(ProgrammeTimeline stored) {
        timeline = stored;
        LOG.infof("programme %s: %d versions from the database", programmeId, stored.versions().size());
    }

    /** After the database commit of an accepted timeline. */
    void accepted(ProgrammeTimeline accepted) {
        timeline = accepted;
        lastRecordRejected = false;
    }

    void rejected() {
        lastRecordRejected = true;
    }
}
