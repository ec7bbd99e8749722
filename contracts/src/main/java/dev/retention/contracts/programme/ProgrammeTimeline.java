package dev.retention.contracts.programme;

import dev.retention.contracts.events.FieldViolation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every published version of one programme, oldest first. The version in force at a time is the last one whose
 * {@code effectiveFrom} is not after it, so an event is judged by the rules of its own business time however late it
 * is processed, and a replay judges it the same way.
 */
public record ProgrammeTimeline(String programmeId, List<ProgrammeVersion> versions) {

    public ProgrammeTimeline {
        versions = List.copyOf(versions);
    }

    public static ProgrammeTimeline empty(String programmeId) {
        return new ProgrammeTimeline(programmeId, List.of());
    }

    /** Empty before the first version's {@code effectiveFrom}: the service's configured baseline applies then. */
    public Optional<ProgrammeVersion> inForceAt(Instant time) {
        ProgrammeVersion found = null;
        for (ProgrammeVersion version : versions) {
            if (version.effectiveFrom().isAfter(time)) {
                break;
            }
            found = version;
        }
        return Optional.ofNullable(found);
    }

    public Optional<ProgrammeVersion> latest() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    public Optional<ProgrammeVersion> version(int number) {
        return versions.stream().filter(v -> v.version() == number).findFirst();
    }

    /** The timeline with {@code next} appended; refused unless it is numbered and timed after the latest. */
    public ProgrammeTimeline with(ProgrammeVersion next) {
        List<ProgrammeVersion> all = new ArrayList<>(versions);
        all.add(next);
        ProgrammeTimeline timeline = new ProgrammeTimeline(programmeId, all);
        List<FieldViolation> problems = timeline.orderViolations("$");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0).toString());
        }
        return timeline;
    }

    /** Versions numbered 1, 2, 3... and each taking effect strictly after the one before. */
    public List<FieldViolation> orderViolations(String path) {
        List<FieldViolation> found = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            ProgrammeVersion version = versions.get(i);
            String at = path + ".versions[" + i + "]";
            if (version.version() != i + 1) {
                found.add(new FieldViolation(at + ".version", "is " + version.version() + ", expected " + (i + 1)));
            }
            if (i > 0 && !version.effectiveFrom().isAfter(versions.get(i - 1).effectiveFrom())) {
                found.add(new FieldViolation(at + ".effectiveFrom",
                        "must be after version " + versions.get(i - 1).version() + "'s effectiveFrom "
                                + versions.get(i - 1).effectiveFrom()));
            }
        }
        return found;
    }
}
