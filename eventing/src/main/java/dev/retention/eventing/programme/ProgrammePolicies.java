package dev.retention.eventing.programme;

import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeVersion;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A service's own policy for every business time: derived from the programme version in force then, once per
 * version, or the service's configured baseline before the first version took effect.
 *
 * @param <P> the service's policy (for example points-service's {@code PointsPolicy})
 */
public final class ProgrammePolicies<P> implements ProgrammeCheck {

    private final ProgrammeVersions versions;
    private final String service;
    private final Function<ProgrammeDocument, P> derive;
    private final P baseline;
    private final Map<Integer, P> byVersion = new ConcurrentHashMap<>();

    /**
     * @param service  names the service in the problems it reports
     * @param derive   the service's policy from a document; throws {@link IllegalArgumentException} for a document
     *                 the service cannot apply
     * @param baseline the policy of application.properties, in force before version 1
     */
    public ProgrammePolicies(ProgrammeVersions versions, String service, Function<ProgrammeDocument, P> derive,
                             P baseline) {
        this.versions = versions;
        this.service = service;
        this.derive = derive;
        this.baseline = baseline;
    }

    /** The policy in force at {@code businessTime}. */
    public P at(Instant businessTime) {
        return versions.inForceAt(businessTime).map(this::policyOf).orElse(baseline);
    }

    /** The version in force at {@code businessTime}; empty while the baseline applies. */
    public OptionalInt versionAt(Instant businessTime) {
        return versions.inForceAt(businessTime).map(v -> OptionalInt.of(v.version())).orElse(OptionalInt.empty());
    }

    /** The policy of a version (a simulation judges a draft the same way). */
    public P derive(ProgrammeDocument document) {
        return derive.apply(document);
    }

    public P baseline() {
        return baseline;
    }

    @Override
    public List<String> problems(ProgrammeDocument document) {
        try {
            derive.apply(document);
            return List.of();
        } catch (RuntimeException e) {
            return List.of(service + " cannot apply it: " + e.getMessage());
        }
    }

    private P policyOf(ProgrammeVersion version) {
        // Versions are immutable, so a version's policy is derived once.
        return byVersion.computeIfAbsent(version.version(), number -> derive.apply(version.document()));
    }
}
