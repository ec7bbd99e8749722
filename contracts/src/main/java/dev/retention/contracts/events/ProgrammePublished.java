package dev.retention.contracts.events;

import dev.retention.contracts.programme.ProgrammeRules;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code programme.published} on the compacted {@code retention.programme}, key and subject = the programme id. It
 * carries every version published so far, so compaction may keep only the latest record of a programme and a service
 * that reads the topic from the start still learns the rules of every past business time.
 */
public record ProgrammePublished(String programmeId, List<ProgrammeVersion> versions) implements EventData {

    public ProgrammeTimeline timeline() {
        return new ProgrammeTimeline(programmeId, versions);
    }

    @Override
    public List<FieldViolation> violations() {
        List<FieldViolation> found = new ArrayList<>(timeline().orderViolations("$.data"));
        for (int i = 0; i < versions.size(); i++) {
            found.addAll(ProgrammeRules.violations(versions.get(i).document(), "$.data.versions[" + i + "].document"));
        }
        return found;
    }
}
