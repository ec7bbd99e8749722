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
    public abstract static sealed class Refused extends RuntimeException permits InvalidProgramme, PublicationRefused {
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
}
