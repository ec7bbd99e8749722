package dev.retention.eventing.programme;

import dev.retention.contracts.programme.ProgrammeDocument;

import java.util.List;

/** THROWAWAY local copy of the kit's API (issue 32); deleted when main's kit is merged. */
public interface ProgrammeCheck {
    List<String> problems(ProgrammeDocument document);
}
