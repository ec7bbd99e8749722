package dev.retention.eventing.programme;

import dev.retention.contracts.ContractJson;
import dev.retention.contracts.programme.ProgrammeTimeline;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.io.UncheckedIOException;
import java.util.Optional;

/** The programme timeline a service accepted, one row per programme in the kit's table. */
final class ProgrammeStore {

    private ProgrammeStore() {
    }

    static Uni<Optional<ProgrammeTimeline>> load(Pool pool, String programmeId) {
        return pool.preparedQuery("SELECT timeline::text FROM eventing_programme WHERE programme_id = $1")
                .execute(Tuple.of(programmeId))
                .map(rows -> {
                    for (Row row : rows) {
                        return Optional.of(read(row.getString(0)));
                    }
                    return Optional.empty();
                });
    }

    /** Keeps the timeline with more versions: a replayed older record never replaces a newer one. */
    static Uni<Boolean> save(SqlClient client, ProgrammeTimeline timeline) {
        return client.preparedQuery("""
                        INSERT INTO eventing_programme (programme_id, version_count, timeline) VALUES ($1, $2, CAST($3 AS text)::jsonb)
                        ON CONFLICT (programme_id) DO UPDATE SET version_count = excluded.version_count,
                            timeline = excluded.timeline, accepted_at = now()
                        WHERE eventing_programme.version_count <= excluded.version_count""")
                .execute(Tuple.of(timeline.programmeId(), timeline.versions().size(), write(timeline)))
                .map(rows -> rows.rowCount() > 0);
    }

    private static ProgrammeTimeline read(String json) {
        try {
            return ContractJson.mapper().readValue(json, ProgrammeTimeline.class);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("cannot read the stored programme timeline", e);
        }
    }

    private static String write(ProgrammeTimeline timeline) {
        try {
            return ContractJson.mapper().writeValueAsString(timeline);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
