package dev.retention.contracts.programme.simulation;

import dev.retention.contracts.programme.ProgrammeDocument;
import java.time.Instant;

/**
 * What programme-service asks each service to simulate: its own domain rules re-run over the history it holds whose
 * business time lies in {@code [from, to)}, once under the versions that were in force and once under {@code draft}
 * as if it had been in force over the whole period. Nothing is written.
 *
 * @param top how many customers each section lists among those who change most
 */
public record SimulationRequest(Instant from, Instant to, ProgrammeDocument draft, int top) {
}
