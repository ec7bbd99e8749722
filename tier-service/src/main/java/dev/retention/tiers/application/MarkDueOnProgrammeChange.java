package dev.retention.tiers.application;

import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.ChunkedWork;
import dev.retention.eventing.programme.ProgrammePolicies;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.tiers.config.TiersConfig;
import dev.retention.tiers.domain.TierPolicy;
import dev.retention.tiers.persistence.TierStore;
import dev.retention.tiers.persistence.TierStore.Sweep;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A published programme version that changes how tiers move (thresholds, tier names, window, grace, risk notice)
 * must reach every customer at the next evaluation. The re-evaluation job reads only customers whose
 * {@code next_evaluation_at} has come, and that index was computed under the old rules: a customer whose spend now
 * reaches a lowered threshold, or no longer reaches a raised one, may have no evaluation due for months, or none at
 * all. Re-evaluating everybody at every run would cost the whole table every minute; so, once, when the version in
 * force at the job's clock differs from the one the ladder was last swept for, every customer is marked due at the
 * version's {@code effectiveFrom} (never later than they already were), a chunk per transaction in customer id
 * order, and the due job then re-evaluates them under the new version in its usual chunks.
 *
 * <p>The sweep is idempotent and resumable: its row ({@code tier_programme_sweep}) records the version and the last
 * customer marked in the same transaction as each chunk, so a crash resumes after the last committed chunk and a
 * chunk done twice marks nobody later than before. Replicas take the row with SKIP LOCKED: one sweeps, the others go
 * on with due evaluations. A version that moves nobody (points, triggers, multipliers, exchange rates) is recorded
 * without marking anyone: spend is kept in the base currency as converted when the order was placed.
 */
@ApplicationScoped
public class MarkDueOnProgrammeChange {

    /** The baseline from application.properties, before version 1. */
    static final int BASELINE = 0;

    private final Pool pool;
    private final TierStore store;
    private final ProgrammeVersions versions;
    private final ProgrammePolicies<TierPolicy> policies;
    private final Clock clock;
    private final int chunk;

    MarkDueOnProgrammeChange(Pool pool, TierStore store, ProgrammeVersions versions,
                             ProgrammePolicies<TierPolicy> policies, Clock clock, TiersConfig config) {
        this.pool = pool;
        this.store = store;
        this.versions = versions;
        this.policies = policies;
        this.clock = clock;
        this.chunk = config.jobs().sweepChunk();
    }

    /** What one transaction did: customers marked, and whether the sweep goes on. */
    private record Step(int marked, boolean more) {
        static final Step DONE = new Step(0, false);
    }

    /** Marks every customer due if the version in force has changed since the last sweep; returns how many. */
    public Uni<Integer> run() {
        return ChunkedWork.repeat(this::step, Step::more, Step::marked);
    }

    private Uni<Step> step() {
        Instant now = clock.instant();
        int inForce = policies.versionAt(now).orElse(BASELINE);
        return pool.withTransaction(tx -> store.lockSweep(tx)
                .chain(sweep -> sweep.isEmpty() ? Uni.createFrom().item(Step.DONE)
                        : step(tx, sweep.get(), inForce, now)));
    }

    private Uni<Step> step(SqlConnection tx, Sweep sweep, int inForce, Instant now) {
        if (sweep.sweepingVersion() == null || sweep.sweepingVersion() != inForce) {
            if (sweep.sweepingVersion() == null && sweep.appliedVersion() == inForce) {
                return Uni.createFrom().item(Step.DONE);
            }
            if (sweep.sweepingVersion() == null && policy(sweep.appliedVersion()).movesLike(policy(inForce))) {
                return store.saveSweep(tx, new Sweep(inForce, null, null, "")).replaceWith(Step.DONE);
            }
            // A new sweep, or a newer version took effect during one: start (again) from the first customer.
            sweep = new Sweep(sweep.appliedVersion(), inForce, effectiveFrom(inForce).orElse(now), "");
        }
        Sweep current = sweep;
        return store.markDue(tx, current.afterCustomer(), chunk, current.dueAt()).chain(marked -> {
            boolean more = marked.size() >= chunk;
            Sweep next = more ? new Sweep(current.appliedVersion(), current.sweepingVersion(), current.dueAt(),
                    last(marked)) : new Sweep(current.sweepingVersion(), null, null, "");
            return store.saveSweep(tx, next).replaceWith(new Step(marked.size(), more));
        });
    }

    private TierPolicy policy(int version) {
        return version == BASELINE ? policies.at(Instant.MIN)
                : effectiveFrom(version).map(policies::at).orElseGet(() -> policies.at(Instant.MIN));
    }

    private Optional<Instant> effectiveFrom(int version) {
        return versions.timeline().version(version).map(ProgrammeVersion::effectiveFrom);
    }

    private static String last(List<String> ids) {
        return Collections.max(ids);
    }
}
