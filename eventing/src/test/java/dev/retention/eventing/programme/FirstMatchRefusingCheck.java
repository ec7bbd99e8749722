package dev.retention.eventing.programme;

import dev.retention.contracts.programme.ProgrammeDocument;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** A service in these tests that cannot apply the FIRST_MATCH stacking mode, as an older release might not. */
@ApplicationScoped
public class FirstMatchRefusingCheck implements ProgrammeCheck {

    @Override
    public List<String> problems(ProgrammeDocument document) {
        return document.earning().stacking() == ProgrammeDocument.Stacking.FIRST_MATCH
                ? List.of("the test service knows no FIRST_MATCH stacking")
                : List.of();
    }
}
