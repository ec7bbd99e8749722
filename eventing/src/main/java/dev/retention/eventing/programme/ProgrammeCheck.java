package dev.retention.eventing.programme;

import dev.retention.contracts.programme.ProgrammeDocument;

import java.util.List;

/**
 * A service's answer to "can you apply this programme document?". The kit asks every bean of this type before it
 * accepts a published timeline: one problem is enough to dead-letter the record and keep the versions it had.
 */
public interface ProgrammeCheck {

    /** Empty when the service can apply the document. */
    List<String> problems(ProgrammeDocument document);
}
