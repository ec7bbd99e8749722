package dev.retention.programme.api;

import dev.retention.eventing.api.CustomerAccess;
import dev.retention.programme.api.ProgrammeViews.DraftRequest;
import dev.retention.programme.api.ProgrammeViews.DraftView;
import dev.retention.programme.api.ProgrammeViews.PublicationRequest;
import dev.retention.programme.api.ProgrammeViews.ValidationView;
import dev.retention.programme.api.ProgrammeViews.VersionView;
import dev.retention.programme.application.ProgrammeProblems;
import dev.retention.programme.application.PublishDraft;
import dev.retention.programme.application.SimulateDraft;
import dev.retention.programme.domain.SimulationReport;
import dev.retention.programme.application.ReadProgramme;
import dev.retention.programme.application.UpdateDraft;
import dev.retention.programme.application.ValidateDraft;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A draft: read and change it, validate it, publish it (admin). */
@Path("/drafts/{draftId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "programme")
public class DraftResource {

    private final ReadProgramme reads;
    private final UpdateDraft updateDraft;
    private final ValidateDraft validateDraft;
    private final PublishDraft publishDraft;
    private final SimulateDraft simulateDraft;
    private final CustomerAccess access;

    public DraftResource(ReadProgramme reads, UpdateDraft updateDraft, ValidateDraft validateDraft,
                         PublishDraft publishDraft, SimulateDraft simulateDraft, CustomerAccess access) {
        this.reads = reads;
        this.updateDraft = updateDraft;
        this.validateDraft = validateDraft;
        this.publishDraft = publishDraft;
        this.simulateDraft = simulateDraft;
        this.access = access;
    }

    @GET
    @Operation(summary = "The draft")
    @APIResponse(responseCode = "200", description = "the draft")
    @APIResponse(responseCode = "404", description = "no such draft (DRAFT_NOT_FOUND)")
    @RolesAllowed({ProgrammeRoles.MARKETER, ProgrammeRoles.ADMIN})
    public Uni<DraftView> draft(@PathParam("draftId") UUID draftId) {
        return reads.draft(draftId).map(DraftView::of);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the draft's document and note")
    @APIResponse(responseCode = "200", description = "the draft as it is now")
    @APIResponse(responseCode = "404", description = "no such draft (DRAFT_NOT_FOUND)")
    @RolesAllowed({ProgrammeRoles.MARKETER, ProgrammeRoles.ADMIN})
    public Uni<DraftView> update(@PathParam("draftId") UUID draftId, @Valid @NotNull DraftRequest request) {
        return updateDraft.update(draftId, request.document(), request.note(), access.actor()).map(DraftView::of);
    }

    @POST
    @Path("/validation")
    @Operation(summary = "Check the draft: the schema, then the programme's rules, with the currencies of the version "
            + "in force as the currencies in use")
    @APIResponse(responseCode = "200", description = "valid")
    @APIResponse(responseCode = "404", description = "no such draft (DRAFT_NOT_FOUND)")
    @APIResponse(responseCode = "422", description = "invalid (INVALID_PROGRAMME): violations lists every one, each "
            + "field a JSON path from the document's root ($)")
    @RolesAllowed({ProgrammeRoles.MARKETER, ProgrammeRoles.ADMIN})
    public Uni<ValidationView> validate(@PathParam("draftId") UUID draftId) {
        return validateDraft.validate(draftId, access.actor()).map(violations -> {
            if (!violations.isEmpty()) {
                throw new ProgrammeProblems.InvalidProgramme(violations);
            }
            return new ValidationView(true, List.of());
        });
    }

    @POST
    @Path("/publication")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish the draft as the programme's next version (admin)")
    @APIResponse(responseCode = "201", description = "the new version; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VersionView.class)))
    @APIResponse(responseCode = "404", description = "no such draft (DRAFT_NOT_FOUND)")
    @APIResponse(responseCode = "422", description = "the draft is invalid (INVALID_PROGRAMME), or effectiveFrom is in "
            + "the past or not after the latest version's (PUBLICATION_REFUSED); violations name each field")
    @RolesAllowed(ProgrammeRoles.ADMIN)
    public Uni<Response> publish(@PathParam("draftId") UUID draftId, @Valid @NotNull PublicationRequest request) {
        return publishDraft.publish(draftId, request.effectiveFrom(), request.reason(), access.actor())
                .map(published -> Response.created(URI.create("/programmes/" + published.programmeId() + "/versions/"
                                + published.version().version()))
                        .entity(VersionView.of(published.programmeId(), published.version())).build());
    }

    /**
     * @param from inclusive: the history from this business time on is re-run
     * @param to   exclusive
     * @param top  how many of the customers who change most the report lists (1 to 100, default 20)
     */
    public record SimulationPeriod(@NotNull Instant from, @NotNull Instant to, @Min(1) @Max(100) Integer top) {
    }

    @POST
    @Path("/simulations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Simulate the draft over a period of the real history: points-, tier- and campaign-service "
            + "re-run their own rules over what they hold, once under the versions that were in force and once under "
            + "the draft; nothing is written (docs/programme.md, \"Simulation\")")
    @APIResponse(responseCode = "200", description = "both sides of every figure",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SimulationReport.class)))
    @APIResponse(responseCode = "404", description = "no such draft (DRAFT_NOT_FOUND)")
    @APIResponse(responseCode = "422", description = "the draft is invalid (INVALID_PROGRAMME), the period or top is "
            + "(SIMULATION_REFUSED, violations name the field), or a service refused the draft "
            + "(SIMULATION_REFUSED_BY_SERVICE, service names it)")
    @APIResponse(responseCode = "503", description = "a service did not answer in time (SIMULATION_UNAVAILABLE, "
            + "service names it); nothing was written, try again")
    @RolesAllowed({ProgrammeRoles.MARKETER, ProgrammeRoles.ADMIN})
    public Uni<SimulationReport> simulate(@PathParam("draftId") UUID draftId, @Valid @NotNull SimulationPeriod period,
                                          @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return simulateDraft.simulate(draftId, period.from(), period.to(), period.top(), authorization);
    }
}
