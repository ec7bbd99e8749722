package dev.retention.programme.application;

import dev.retention.contracts.events.FieldViolation;

import java.util.List;
import java.util.UUID;

/** Why a use case refuses: the API answers each with its own problem+json. */
public final class ProgrammeProblems {

    private ProgrammeProblems() {
    }

    public static final class DraftNotFound extends RuntimeException {
        public DraftNotFound(UUID id) {
            super("no draft " + id);
        }
    }

    public static final class ProgrammeNotFound extends RuntimeException {
        public ProgrammeNotFound(String programmeId) {
            super("programme " + programmeId + " has no published version");
        }
    }

    public static final class VersionNotFound extends RuntimeException {
        public VersionNotFound(String programmeId, int version) {
            super("programme " + programmeId + " has no version " + version);
        }
    }

    /** A refusal that names every field at fault (by JSON path from the document's root, or the request's field). */
    public abstract static sealed class Refused extends RuntimeException permits InvalidProgramme, PublicationRefused, SimulationRefused {
        private final List<FieldViolation> violations;

        Refused(String message, List<FieldViolation> violations) {
            super(message);
            this.violations = List.copyOf(violations);
        }

        public List<FieldViolation> violations() {
            return violations;
        }
    }

    /** The document breaks the schema or the programme's rules: every violation, by JSON path. */
    public static final class InvalidProgramme extends Refused {
        public InvalidProgramme(List<FieldViolation> violations) {
            super("the programme document has " + violations.size() + " violation(s)", violations);
        }
    }

    /** A valid document that may not be published as asked (when it would take effect, which version to restore). */
    public static final class PublicationRefused extends Refused {
        public PublicationRefused(List<FieldViolation> violations) {
            super(violations.stream().map(FieldViolation::toString).reduce((a, b) -> a + "; " + b).orElse("refused"),
                    violations);
        }
    }

    /** A simulation asked for a period or a number of customers it cannot answer. */
    public static final class SimulationRefused extends Refused {
        public SimulationRefused(List<FieldViolation> violations) {
            super(violations.stream().map(FieldViolation::toString).reduce((a, b) -> a + "; " + b).orElse("refused"),
                    violations);
        }
    }

    /** A service that re-runs its rules for a simulation refused it (its own problem's detail says why). */
    public static final class SimulationRefusedByService extends RuntimeException {
        private final String service;

        public SimulationRefusedByService(String service, int status, String detail) {
            super(service + " refused the simulation (" + status + "): " + detail);
            this.service = service;
        }

        public String service() {
            return service;
        }
    }

    /** A service that re-runs its rules for a simulation could not be reached or failed: try again later. */
    public static final class SimulationUnavailable extends RuntimeException {
        private final String service;

        public SimulationUnavailable(String service, String reason) {
            super(service + " did not answer the simulation: " + reason);
            this.service = service;
        }

        public String service() {
            return service;
        }
    }
}
