package dev.retention.contracts.events;

import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;

import java.util.List;

/**
 * {@code programme.published} on the compacted {@code retention.programme}, key and subject = the programme id. It
 * carries every version published so far, so compaction may keep only the latest record of a programme and a service
 * that reads the topic from the start still learns the rules of every past business time.
 *
 * <p>Decoding checks the schema only, like every event: what the schema admits is never dead-lettered as malformed.
 * Whether a service can apply the versions (their order in time, {@link dev.retention.contracts.programme.ProgrammeRules}
 * and the service's own policy) is the consuming service's question; one that cannot dead-letters the record with
 * every reason and keeps the versions it had.
 */
public record ProgrammePublished(String programmeId, List<ProgrammeVersion> versions) implements EventData {

    public ProgrammeTimeline timeline() {
        return new ProgrammeTimeline(programmeId, versions);
    }
}
