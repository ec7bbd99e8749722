package dev.retention.programme.api;

import dev.retention.eventing.api.CustomerAccess;
import dev.retention.programme.api.ProgrammeViews.AuditPage;
import dev.retention.programme.api.ProgrammeViews.AuditView;
import dev.retention.programme.api.ProgrammeViews.DraftRequest;
import dev.retention.programme.api.ProgrammeViews.DraftView;
import dev.retention.programme.api.ProgrammeViews.ProgrammeView;
import dev.retention.programme.api.ProgrammeViews.RollbackRequest;
import dev.retention.programme.api.ProgrammeViews.VersionView;
import dev.retention.programme.application.CreateDraft;
import dev.retention.programme.application.ReadProgramme;
import dev.retention.programme.application.RollBack;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

/** A programme: its versions, drafts of its next one, roll-backs and the audit. */
@Path("/programmes/{programmeId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "programme")
public class ProgrammeResource {

    static final String ID_RULES = "[A-Za-z0-9._-]{1,64}";

    private final CreateDraft createDraft;
    private final RollBack rollBack;
    private final ReadProgramme reads;
    private final CustomerAccess access;

    public ProgrammeResource(CreateDraft createDraft, RollBack rollBack, ReadProgramme reads, CustomerAccess access) {
        this.createDraft = createDraft;
        this.rollBack = rollBack;
        this.reads = reads;
        this.access = access;
    }

    @GET
    @Operation(summary = "The version in force now (with its document), the latest, and every version with the time it "
            + "takes effect")
    @APIResponse(responseCode = "200", description = "the programme")
    @APIResponse(responseCode = "404", description = "no version of this programme (PROGRAMME_NOT_FOUND)")
    @RolesAllowed({ProgrammeRoles.MARKETER, ProgrammeRoles.ADMIN})
    public Uni<ProgrammeView> programme(@PathParam("programmeId") @Pattern(regexp = ID_RULES) String programmeId) {
        return reads.programme(programmeId).map(ProgrammeView::of);
    }

    @GET
    @Path("/versions/{version}")
    @Operation(summary = "One version with its document")
    @APIResponse(responseCode = "200", description = "the version")
    @APIResponse(responseCode = "404", description = "no such version (VERSION_NOT_FOUND)")
    @RolesAllowed({ProgrammeRoles.MARKETER, ProgrammeRoles.ADMIN})
    public Uni<VersionView> version(@PathParam("programmeId") @Pattern(regexp = ID_RULES) String programmeId,
                                    @PathParam("version") @Min(1) int version) {
        return reads.version(programmeId, version).map(v -> VersionView.of(programmeId, v));
    }

    @POST
    @Path("/drafts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a draft of the programme's next version (any JSON object; checked on validation)")
    @APIResponse(responseCode = "201", description = "the draft; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DraftView.class)))
    @RolesAllowed({ProgrammeRoles.MARKETER, ProgrammeRoles.ADMIN})
    public Uni<Response> createDraft(@PathParam("programmeId") @Pattern(regexp = ID_RULES) String programmeId,
                                     @Valid @NotNull DraftRequest request) {
        return createDraft.create(programmeId, request.document(), request.note(), access.actor())
                .map(draft -> Response.created(URI.create("/drafts/" + draft.id())).entity(DraftView.of(draft)).build());
    }

    @POST
    @Path("/rollbacks")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish an earlier version's document again, as a new version with restoredFrom set (admin)")
    @APIResponse(responseCode = "201", description = "the new version; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VersionView.class)))
    @APIResponse(responseCode = "404", description = "no version of this programme (PROGRAMME_NOT_FOUND)")
    @APIResponse(responseCode = "422", description = "no such earlier version, effectiveFrom in the past or not after "
            + "the latest version's (PUBLICATION_REFUSED), or the earlier document no longer valid (INVALID_PROGRAMME); "
            + "violations name each field")
    @RolesAllowed(ProgrammeRoles.ADMIN)
    public Uni<Response> rollBack(@PathParam("programmeId") @Pattern(regexp = ID_RULES) String programmeId,
                                  @Valid @NotNull RollbackRequest request) {
        return rollBack.rollBack(programmeId, request.toVersion(), request.effectiveFrom(), request.reason(),
                        access.actor())
                .map(version -> Response.created(URI.create("/programmes/" + programmeId + "/versions/" + version.version()))
                        .entity(VersionView.of(programmeId, version)).build());
    }

    @GET
    @Path("/audit")
    @Operation(summary = "Who did what to the programme, when and why; newest first, a page at a time")
    @APIResponse(responseCode = "200", description = "one page; nextBefore fetches the next")
    @RolesAllowed({ProgrammeRoles.MARKETER, ProgrammeRoles.ADMIN})
    public Uni<AuditPage> audit(@PathParam("programmeId") @Pattern(regexp = ID_RULES) String programmeId,
                                @QueryParam("before") @Min(1) Long before,
                                @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return reads.audit(programmeId, before, limit).map(entries -> {
            List<AuditView> views = entries.stream().map(AuditView::of).toList();
            Long next = views.size() == limit ? views.get(views.size() - 1).id() : null;
            return new AuditPage(programmeId, views, next);
        });
    }
}
