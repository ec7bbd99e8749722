package dev.retention.eventing.programme;

import dev.retention.contracts.programme.ProgrammeRules;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;

import java.util.ArrayList;
import java.util.List;

/** Whether a service accepts a published timeline: every reason it cannot, or none. */
final class ProgrammeAcceptance {

    private ProgrammeAcceptance() {
    }

    /**
     * The versions must follow each other in time, each document must keep the programme's rules, and every
     * {@link ProgrammeCheck} of the service must be able to apply every version.
     */
    static List<String> problems(ProgrammeTimeline timeline, Iterable<ProgrammeCheck> checks) {
        List<String> problems = new ArrayList<>();
        timeline.orderViolations("$.data").forEach(violation -> problems.add(violation.toString()));
        for (int i = 0; i < timeline.versions().size(); i++) {
            ProgrammeRules.violations(timeline.versions().get(i).document(), "$.data.versions[" + i + "].document")
                    .forEach(violation -> problems.add(violation.toString()));
        }
        for (ProgrammeVersion version : timeline.versions()) {
            for (ProgrammeCheck check : checks) {
                check.problems(version.document())
                        .forEach(problem -> problems.add("version " + version.version() + ": " + problem));
            }
        }
        return problems;
    }
}
