package dev.retention.points.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.simulation.PointsSimulation;
import dev.retention.contracts.programme.simulation.SimulationRequest;
import dev.retention.contracts.programme.simulation.TierTimeline;
import dev.retention.eventing.api.ApiProblem;
import dev.retention.eventing.api.CustomerAccess;
import dev.retention.eventing.api.Problems;
import dev.retention.points.application.SimulateProgramme;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The points section of a programme simulation, for programme-service (issue 32). */
@Path("/programme-simulations")
@Tag(name = "programme simulation")
public class ProgrammeSimulationResource {

    private final SimulateProgramme simulations;

    public ProgrammeSimulationResource(SimulateProgramme simulations) {
        this.simulations = simulations;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Simulate a draft programme over the orders and bonuses of a period",
            description = "The orders placed in [from, to) earn again with the live path's rules, once under the "
                    + "versions that were in force at their placedAt and once under the draft as if in force over the"
                    + " whole period; the period's signup, review, referral and birthday bonuses are priced again by "
                    + "count. Refunds and cancellations are not part of the figures. Reads only: nothing is written."
                    + " top defaults to 20 and is capped at 100. With draftTiers (tier-service's draft timelines), the "
                    + "draft side rates a listed customer's orders by the timeline's tier in force at their placedAt. "
                    + "See docs/programme.md, \"Simulation\".")
    @APIResponse(responseCode = "200", description = "the points section",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PointsSimulation.class)))
    @APIResponse(responseCode = "400", description = "from, to, draft or top missing or invalid (from >= to), or "
            + "a draftTiers timeline without its customer (or listing one twice) or a change without its time or "
            + "tier; violations name the field")
    @APIResponse(responseCode = "422", description = "DRAFT_REFUSED: the draft breaks the programme's rules or "
            + "points-service cannot apply it; violations name the fields")
    @RolesAllowed({CustomerAccess.MARKETER, CustomerAccess.ADMIN})
    public Uni<PointsSimulation> simulate(@Valid @NotNull SimulationBody body) {
        if (!body.draft().isObject()) {
            throw ApiProblem.invalidField("draft", "must be a programme document (a JSON object)");
        }
        if (!body.from().isBefore(body.to())) {
            throw ApiProblem.invalidField("to", "must be after from");
        }
        // The draft as programme-service checks a document: its schema and the programme's rules, then ours.
        List<FieldViolation> draftProblems = ProgrammeJson.violations(body.draft(), Set.of()).stream()
                .map(v -> new FieldViolation(v.field().replaceFirst("^\\$", "draft"), v.problem())).toList();
        if (draftProblems.isEmpty()) {
            draftProblems = SimulateProgramme.draftProblems(ProgrammeJson.read(body.draft()));
        }
        if (!draftProblems.isEmpty()) {
            throw refused(422, "Draft refused", "DRAFT_REFUSED", draftProblems);
        }
        List<FieldViolation> timelineProblems = TierTimeline.problems(body.draftTiers());
        if (!timelineProblems.isEmpty()) {
            throw refused(400, "Invalid draft tiers", "INVALID_DRAFT_TIERS", timelineProblems);
        }
        return simulations.simulate(new SimulationRequest(body.from(), body.to(), ProgrammeJson.read(body.draft()),
                body.top() == null ? 0 : body.top(), false, body.draftTiers()));
    }

    /**
     * A {@link SimulationRequest} as it arrives: the draft is checked against the contracts' programme schema before
     * it is read, as programme-service checks a draft.
     */
    public record SimulationBody(
            @NotNull @Schema(required = true, description = "the period's start (RFC 3339), inclusive") Instant from,
            @NotNull @Schema(required = true, description = "the period's end (RFC 3339), exclusive; after from")
            Instant to,
            @NotNull @Schema(required = true, type = SchemaType.OBJECT,
                    description = "the draft programme document (contracts' schemas/programme.json)") JsonNode draft,
            @Min(0) @Max(Integer.MAX_VALUE) @Schema(description = "how many customers topChanges lists: 0 or absent "
                    + "for 20, at most 100") Integer top,
            @Schema(description = "tier-service's draft timelines (programme-service passes them on when the draft "
                    + "changes the tiers): on the draft side, a listed customer's orders earn by the tier in force "
                    + "at their placedAt on the timeline, for the multiplier and the rules' tiers condition; "
                    + "others keep their stored tier. Absent: every order keeps its stored tier")
            List<TierTimeline> draftTiers) {
    }

    private static WebApplicationException refused(int status, String title, String code,
                                                   List<FieldViolation> problems) {
        List<Map<String, String>> violations = problems.stream()
                .map(p -> Map.of("field", p.field(), "problem", p.problem())).toList();
        return new WebApplicationException(Problems.response(status, title, problems.size() + " field(s) invalid",
                code, violations));
    }
}
