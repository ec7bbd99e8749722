package dev.retention.eventing.programme;

import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;

/** THROWAWAY local copy of the kit's API (issue 32); deleted when main's kit is merged. */
@ApplicationScoped
public class ProgrammeVersions {

    private volatile ProgrammeTimeline timeline = ProgrammeTimeline.empty("default");

    public Optional<ProgrammeVersion> inForceAt(Instant time) {
        return timeline.inForceAt(time);
    }

    public ProgrammeTimeline timeline() {
        return timeline;
    }

    public void replace(ProgrammeTimeline next) {
        timeline = next;
    }
}
