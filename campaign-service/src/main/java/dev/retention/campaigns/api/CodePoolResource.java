package dev.retention.campaigns.api;

import dev.retention.campaigns.application.ReadCodePools;
import dev.retention.campaigns.application.UploadPoolCodes;
import dev.retention.campaigns.domain.PoolCodes;
import dev.retention.campaigns.domain.PoolCounts;
import dev.retention.eventing.api.ApiProblem;
import dev.retention.eventing.api.CustomerAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * Partner code pools: codes uploaded as CSV, handed out one per partner reward redeemed. The API answers figures
 * only: no code is ever returned, logged, or named in a problem.
 */
@Path("/code-pools")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "code pools")
@RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.MARKETER})
public class CodePoolResource {

    /** The pool id as the programme's partner rewards name it. */
    static final String POOL_ID = "[a-z0-9][a-z0-9-]{0,63}";

    private final UploadPoolCodes uploads;
    private final ReadCodePools pools;

    public CodePoolResource(UploadPoolCodes uploads, ReadCodePools pools) {
        this.uploads = uploads;
        this.pools = pools;
    }

    public record PoolView(String poolId, long available, long claimed, int lowThreshold) {

        static PoolView of(PoolCounts counts) {
            return new PoolView(counts.poolId(), counts.available(), counts.claimed(), counts.lowThreshold());
        }
    }

    /**
     * @param duplicates codes not added: repeated within the upload, or already in the pool
     * @param available  unclaimed codes in the pool after the upload
     */
    public record UploadView(String poolId, int added, int duplicates, long available) {
    }

    @POST
    @Path("{poolId}/codes")
    @Consumes("text/csv")
    @Operation(summary = "Add codes to a partner pool (the first upload opens it)",
            description = "One code per line, an optional header line `code`; lines are trimmed and blank ones "
                    + "ignored. A code is at most 200 characters without control characters. Codes already in the "
                    + "pool, or repeated in the upload, are counted as duplicates and not added. The request body "
                    + "is limited to 64 KB: upload a long list in parts.")
    @RequestBody(content = @Content(mediaType = "text/csv", schema = @Schema(type =
            org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, example = "code\nTICKET-0001\n")))
    @APIResponse(responseCode = "200", description = "added; the pool's figures after the upload", content =
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UploadView.class)))
    @APIResponse(responseCode = "400", description = "a line that is no code, named by its number (INVALID_REQUEST), "
            + "or no code at all")
    public Uni<UploadView> upload(@PathParam("poolId") @Pattern(regexp = POOL_ID) String poolId,
                                  @QueryParam("lowThreshold") @Min(0) @Max(1_000_000) Integer lowThreshold,
                                  String body) {
        PoolCodes codes;
        try {
            codes = PoolCodes.parse(body);
        } catch (PoolCodes.InvalidLine e) {
            throw ApiProblem.invalidField("line " + e.line(), e.getMessage());
        }
        if (codes.codes().isEmpty()) {
            throw ApiProblem.invalidField("body", "holds no code");
        }
        return uploads.upload(poolId, codes, lowThreshold).map(uploaded -> new UploadView(poolId, uploaded.added(),
                uploaded.duplicates(), uploaded.pool().available()));
    }

    @GET
    @Operation(summary = "Every partner pool with its figures")
    public Uni<List<PoolView>> list() {
        return pools.all().map(all -> all.stream().map(PoolView::of).toList());
    }

    @GET
    @Path("{poolId}")
    @Operation(summary = "A partner pool's figures: codes available, claimed, and its low threshold")
    @APIResponse(responseCode = "200", description = "the pool")
    @APIResponse(responseCode = "404", description = "no codes were ever uploaded to this pool (POOL_NOT_FOUND)")
    public Uni<PoolView> get(@PathParam("poolId") @Pattern(regexp = POOL_ID) String poolId) {
        return pools.of(poolId).map(found -> PoolView.of(found.orElseThrow(
                () -> ApiProblem.notFound("POOL_NOT_FOUND", "no code pool " + poolId))));
    }
}
