package dev.retention.campaigns.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.campaigns.application.SimulateCampaigns;
import dev.retention.campaigns.domain.DraftTierUps;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.programme.simulation.CampaignSimulation;
import dev.retention.contracts.programme.simulation.SimulationRequest;
import dev.retention.eventing.api.ApiProblem;
import dev.retention.eventing.api.CustomerAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Set;

/** Issue 32: campaign-service's part of a programme simulation, asked for by programme-service. */
@Path("/programme-simulations")
@RolesAllowed({CustomerAccess.MARKETER, CustomerAccess.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "programme")
public class ProgrammeSimulationResource {

    /** {@code top} when the request leaves it 0, and its largest value. */
    static final int DEFAULT_TOP = 20;
    static final int MAX_TOP = 100;

    private final SimulateCampaigns simulation;

    public ProgrammeSimulationResource(SimulateCampaigns simulation) {
        this.simulation = simulation;
    }

    /** A draft the programme's rules or campaign-service refuse: 422 with every violation. */
    public static class DraftRefused extends RuntimeException {
        private final transient List<FieldViolation> violations;

        DraftRefused(List<FieldViolation> violations) {
            super(violations.size() + " problem(s) in the draft");
            this.violations = List.copyOf(violations);
        }

        public List<FieldViolation> violations() {
            return violations;
        }
    }

    @POST
    @Operation(summary = "Simulate a draft programme over the triggers of a period",
            description = "Decides every trigger logged with a business time (the time of its event, or the due "
                    + "time a job evaluated; not when it was processed) in [from, to) again, by that business time: "
                    + "once under the programme versions that were in force then, once under the draft as if it had "
                    + "been in force over the whole period (its switches, vouchers, holdout share, frequency cap and "
                    + "monthly voucher budget). Consent is taken as recorded, segment offers as they were, and the cap "
                    + "use and budget spent by triggers with business times outside the period as the log holds them. Figures by trigger type; face values of "
                    + "fixed-value vouchers by currency; the `top` customers (default 20, at most 100) whose vouchers' "
                    + "face value changes most. With draftTiers (tier-service's draft timelines, passed on by "
                    + "programme-service), the draft side asks for the listed customers' tier-ups at the times "
                    + "their timelines move them up the draft's ladder, instead of the tier-ups logged for them. "
                    + "Reads only: nothing is written, the draft is not kept. "
                    + "See docs/programme.md, \"Simulation\".")
    @APIResponse(responseCode = "200", description = "The period simulated",
            content = @Content(schema = @Schema(implementation = CampaignSimulation.class)))
    @APIResponse(responseCode = "400", description = "from, to or draft missing, from not before to, top negative, "
            + "a draftTiers timeline without its customer (or listing one twice) or a change without its time or "
            + "tier; the field is named in violations")
    @APIResponse(responseCode = "422", description = "A draft the programme's rules or campaign-service refuse, "
            + "every problem named by its path under draft")
    @RequestBody(required = true, description = "The period and the draft, in the contracts' JSON (the programme "
            + "document as programme-service keeps it: decimals as strings)",
            content = @Content(schema = @Schema(implementation = SimulationRequest.class)))
    public Uni<Response> simulate(JsonNode body) throws JsonProcessingException {
        SimulationRequest request = read(body);
        List<FieldViolation> problems = simulation.draftProblems(request.draft());
        if (!problems.isEmpty()) {
            throw new DraftRefused(problems);
        }
        int top = request.top() == 0 ? DEFAULT_TOP : Math.min(request.top(), MAX_TOP);
        // In the contracts' JSON, like the request: amounts as decimal strings.
        return simulation.simulate(request.from(), request.to(), request.draft(), top, request.draftTiers())
                .map(answer -> Response.ok(json(answer), MediaType.APPLICATION_JSON).build());
    }

    private static String json(CampaignSimulation answer) {
        try {
            return ContractJson.mapper().writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a simulation is always written", e);
        }
    }

    /**
     * The request in the contracts' JSON, as programme-service writes it (the REST layer's strict mapper reads no
     * decimal from a string); the draft is checked against the programme's schema before it is read, each
     * violation named by its path under {@code draft}.
     */
    private static SimulationRequest read(JsonNode body) throws JsonProcessingException {
        if (body == null || !body.isObject()) {
            throw ApiProblem.badRequest("a SimulationRequest object is required");
        }
        for (String field : List.of("from", "to", "draft")) {
            if (!body.hasNonNull(field)) {
                throw ApiProblem.invalidField(field, "is required");
            }
        }
        List<FieldViolation> schema = ProgrammeJson.violations(body.get("draft"), Set.of()).stream()
                .map(v -> new FieldViolation("draft" + v.field().substring(1), v.problem())).toList();
        if (!schema.isEmpty()) {
            throw new DraftRefused(schema);
        }
        SimulationRequest request = ContractJson.mapper().treeToValue(body, SimulationRequest.class);
        if (!request.from().isBefore(request.to())) {
            throw ApiProblem.invalidField("to", "must be after from (" + request.from() + ")");
        }
        if (request.top() < 0) {
            throw ApiProblem.invalidField("top", "must not be negative");
        }
        List<FieldViolation> timelineProblems = DraftTierUps.problems(request.draftTiers());
        if (!timelineProblems.isEmpty()) {
            throw ApiProblem.invalidField(timelineProblems.get(0).field(), timelineProblems.get(0).problem());
        }
        return request;
    }
}
