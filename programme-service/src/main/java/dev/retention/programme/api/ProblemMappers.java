package dev.retention.programme.api;

import dev.retention.eventing.api.Problems;
import dev.retention.programme.application.ProgrammeProblems;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Map;

/**
 * The programme API's own errors as problem+json; validation, malformed requests, 401 and 403 are answered by the
 * eventing kit's {@link dev.retention.eventing.api.CommonProblemMappers}.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response draftNotFound(ProgrammeProblems.DraftNotFound e) {
        return Problems.response(404, "Unknown draft", e.getMessage(), "DRAFT_NOT_FOUND");
    }

    @ServerExceptionMapper
    public Response programmeNotFound(ProgrammeProblems.ProgrammeNotFound e) {
        return Problems.response(404, "Unknown programme", e.getMessage(), "PROGRAMME_NOT_FOUND");
    }

    @ServerExceptionMapper
    public Response versionNotFound(ProgrammeProblems.VersionNotFound e) {
        return Problems.response(404, "Unknown version", e.getMessage(), "VERSION_NOT_FOUND");
    }

    /** Every violation of the document by JSON path from its root ($), schema first, then the programme's rules. */
    @ServerExceptionMapper
    public Response invalid(ProgrammeProblems.InvalidProgramme e) {
        return Problems.response(422, "Invalid programme", e.getMessage(), "INVALID_PROGRAMME", violations(e));
    }

    @ServerExceptionMapper
    public Response refused(ProgrammeProblems.PublicationRefused e) {
        return Problems.response(422, "Publication refused", e.getMessage(), "PUBLICATION_REFUSED", violations(e));
    }

    /** The period or the number of customers to list: each field at fault. */
    @ServerExceptionMapper
    public Response simulationRefused(ProgrammeProblems.SimulationRefused e) {
        return Problems.response(422, "Simulation refused", e.getMessage(), "SIMULATION_REFUSED", violations(e));
    }

    @ServerExceptionMapper
    public Response refusedByService(ProgrammeProblems.SimulationRefusedByService e) {
        return Problems.response(422, "Simulation refused by " + e.service(), e.getMessage(),
                "SIMULATION_REFUSED_BY_SERVICE", null, Map.of("service", e.service()));
    }

    @ServerExceptionMapper
    public Response unavailable(ProgrammeProblems.SimulationUnavailable e) {
        return Problems.response(503, "Simulation unavailable", e.getMessage(), "SIMULATION_UNAVAILABLE", null,
                Map.of("service", e.service()));
    }

    private static List<Map<String, String>> violations(ProgrammeProblems.Refused e) {
        return e.violations().stream().map(v -> Map.of("field", v.field(), "problem", v.problem())).toList();
    }
}
