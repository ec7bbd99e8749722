package dev.retention.programme.domain;

import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a new version may take effect, and which currencies a draft must keep: plain functions of the timeline, so
 * that the publication, the roll-back and the validation ask the same questions.
 */
public final class PublicationRules {

    private PublicationRules() {
    }

    /**
     * The time a version takes effect: the requested one, or {@code now + activationDelay} when none is given. Kept to
     * microseconds, the precision PostgreSQL stores, so the version read back equals the one published.
     */
    public static Instant effectiveFrom(Instant requested, Instant now, Duration activationDelay) {
        Instant chosen = requested != null ? requested : now.plus(activationDelay);
        return chosen.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * What is wrong with taking effect at {@code effectiveFrom} after {@code timeline}: not in the past (events of
     * past business times were judged by the rules then in force, and a replay must judge them the same way), and
     * strictly after the latest version's effectiveFrom (versions take effect in the order of their numbers).
     */
    public static List<FieldViolation> timingViolations(Instant effectiveFrom, Instant now, ProgrammeTimeline timeline) {
        List<FieldViolation> found = new ArrayList<>();
        if (effectiveFrom.isBefore(now.truncatedTo(ChronoUnit.MICROS))) {
            found.add(new FieldViolation("effectiveFrom", "is in the past (" + effectiveFrom + " is before now, "
                    + now + "): a version takes effect now or later"));
        }
        Optional<ProgrammeVersion> latest = timeline.latest();
        if (latest.isPresent() && !effectiveFrom.isAfter(latest.get().effectiveFrom())) {
            found.add(new FieldViolation("effectiveFrom", "must be after the effectiveFrom of the latest version "
                    + latest.get().version() + " (" + latest.get().effectiveFrom() + ")"));
        }
        return found;
    }

    /** The currencies of the version in force at {@code now}: orders come in them, so a new version must keep them. */
    public static Set<String> currenciesInUse(ProgrammeTimeline timeline, Instant now) {
        return timeline.inForceAt(now).map(ProgrammeVersion::document).map(ProgrammeDocument::currencies)
                .<Set<String>>map(currencies -> new TreeSet<>(currencies.keySet())).orElseGet(Set::of);
    }

    /** The number the next version gets. */
    public static int nextVersion(ProgrammeTimeline timeline) {
        return timeline.latest().map(v -> v.version() + 1).orElse(1);
    }
}
