package dev.retention.campaigns.api;

import dev.retention.campaigns.domain.VoucherRefusedException;
import dev.retention.eventing.api.Problems;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A refused redemption as problem+json, its reason as the code; everything else is answered by the eventing kit's
 * {@link dev.retention.eventing.api.CommonProblemMappers}.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response draftRefused(ProgrammeSimulationResource.DraftRefused e) {
        return Problems.response(422, "Draft cannot be simulated", e.getMessage(), "DRAFT_REFUSED",
                e.violations().stream().map(v -> java.util.Map.of("field", v.field(), "problem", v.problem()))
                        .toList());
    }

    @ServerExceptionMapper
    public Response refused(VoucherRefusedException e) {
        switch (e.reason()) {
            case UNKNOWN_VOUCHER:
                return Problems.response(404, "Unknown voucher", e.getMessage(), e.reason().name());
            case ALREADY_REDEEMED:
                return Problems.response(409, "Voucher already redeemed", e.getMessage(), e.reason().name());
            default:
                return Problems.response(422, "Not allowed by the voucher's terms", e.getMessage(), e.reason().name());
        }
    }
}
