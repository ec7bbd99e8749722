package dev.retention.eventing.programme;

import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeVersion;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** THROWAWAY local copy of the kit's API (issue 32); deleted when main's kit is merged. */
public class ProgrammePolicies<P> implements ProgrammeCheck {

    private final ProgrammeVersions versions;
    private final String service;
    private final Function<ProgrammeDocument, P> derive;
    private final P baseline;
    private final Map<Integer, P> cache = new ConcurrentHashMap<>();

    public ProgrammePolicies(ProgrammeVersions versions, String service, Function<ProgrammeDocument, P> derive,
                             P baseline) {
        this.versions = versions;
        this.service = service;
        this.derive = derive;
        this.baseline = baseline;
    }

    public P at(Instant businessTime) {
        return versions.inForceAt(businessTime)
                .map(v -> cache.computeIfAbsent(v.version(), n -> derive.apply(v.document())))
                .orElse(baseline);
    }

    public OptionalInt versionAt(Instant businessTime) {
        return versions.inForceAt(businessTime).map(ProgrammeVersion::version).map(OptionalInt::of)
                .orElse(OptionalInt.empty());
    }

    @Override
    public List<String> problems(ProgrammeDocument document) {
        try {
            derive.apply(document);
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(service + ": " + e.getMessage());
        }
    }
}
