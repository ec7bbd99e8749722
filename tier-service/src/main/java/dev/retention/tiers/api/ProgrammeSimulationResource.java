package dev.retention.tiers.api;

import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeRules;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import dev.retention.contracts.programme.simulation.SimulationRequest;
import dev.retention.contracts.programme.simulation.TierSimulation;
import dev.retention.eventing.api.ApiProblem;
import dev.retention.eventing.api.CustomerAccess;
import dev.retention.tiers.application.SimulateTiers;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Set;

/** Issue 32: tier-service's part of a programme simulation; programme-service combines the services' answers. */
@Path("/programme-simulations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "programme simulation")
public class ProgrammeSimulationResource {

    /** How many customers {@code topChanges} lists when the request says 0, and at most. */
    static final int DEFAULT_TOP = 20;
    static final int MAX_TOP = 100;

    private final SimulateTiers simulate;

    public ProgrammeSimulationResource(SimulateTiers simulate) {
        this.simulate = simulate;
    }

    @POST
    @Operation(summary = "Re-run the tier ladder over the stored orders under a draft programme, side by side with "
            + "the versions in force",
            description = "Every customer's placed orders are re-run from their first, by the live evaluation "
                    + "sequence: once under the versions in force (this reproduces the tier history), once with the "
                    + "draft in force from `from`. Answers the tier distribution at the period's end, the moves "
                    + "within [from, to), upgrades, downgrades, the customers whose tier at the end differs and the "
                    + "`top` who change most (20 when 0, at most 100). Cancellations and returns count from the "
                    + "order's placement (docs/programme.md, \"Simulation\"). With `includeDraftTimelines` true, "
                    + "`draftTimelines` lists, for every customer whose tier changes within the period differ between "
                    + "the two sides, the draft side's tier at `from` and each change with the `effectiveAt` "
                    + "tier.changed would carry (programme-service passes it on to points-service). Reads only; "
                    + "writes nothing.")
    @APIResponse(responseCode = "200", description = "the simulated figures")
    @APIResponse(responseCode = "400", description = "from not before to, no draft, a negative top, or a draft "
            + "the programme's rules refuse; the field is named")
    @APIResponse(responseCode = "422", description = "a draft tier-service cannot apply; the part is named")
    @RolesAllowed({CustomerAccess.MARKETER, CustomerAccess.ADMIN})
    @RequestBody(content = @Content(schema = @Schema(implementation = SimulationRequest.class)))
    public Uni<TierSimulation> simulate(JsonNode body) {
        SimulationRequest checked = checked(body);
        try {
            return simulate.simulate(checked);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(422, "Unprocessable draft", "DRAFT_NOT_APPLICABLE", "draft." + e.getMessage());
        }
    }

    /**
     * The draft is a programme document in the programme's own JSON (decimal strings, ISO durations), read and
     * checked like a published one (schema and {@link ProgrammeRules}), its problems named under {@code draft}.
     */
    private static SimulationRequest checked(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiProblem.badRequest("a simulation request is needed");
        }
        JsonNode draft = body.get("draft");
        if (draft == null || draft.isNull()) {
            throw ApiProblem.invalidField("draft", "is missing");
        }
        List<FieldViolation> draftViolations = ProgrammeJson.violations(draft, Set.of());
        if (!draftViolations.isEmpty()) {
            FieldViolation first = draftViolations.get(0);
            throw ApiProblem.invalidField("draft" + first.field().substring(1), first.problem());
        }
        SimulationRequest request;
        try {
            ObjectNode withoutDraft = ((ObjectNode) body.deepCopy()).without("draft");
            SimulationRequest times = ContractJson.mapper().treeToValue(withoutDraft, SimulationRequest.class);
            request = new SimulationRequest(times.from(), times.to(), ProgrammeJson.read(draft), times.top(),
                    times.includeDraftTimelines(), null);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw ApiProblem.badRequest("unreadable simulation request: " + e.getMessage());
        }
        if (request.from() == null) {
            throw ApiProblem.invalidField("from", "is missing");
        }
        if (request.to() == null) {
            throw ApiProblem.invalidField("to", "is missing");
        }
        if (!request.from().isBefore(request.to())) {
            throw ApiProblem.invalidField("to", "must be after from");
        }
        if (request.top() < 0) {
            throw ApiProblem.invalidField("top", "must not be negative");
        }
        int top = request.top() == 0 ? DEFAULT_TOP : Math.min(request.top(), MAX_TOP);
        return new SimulationRequest(request.from(), request.to(), request.draft(), top,
                request.includeDraftTimelines(), null);
    }
}
