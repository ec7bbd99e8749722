package dev.retention.points.api;

import dev.retention.eventing.api.Problems;
import dev.retention.points.application.RequestProblems;
import dev.retention.points.domain.PointsRefusedException;
import dev.retention.points.domain.RewardRefusedException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The points API's own errors as problem+json; validation, malformed requests and the rest are answered by the
 * eventing kit's {@link dev.retention.eventing.api.CommonProblemMappers}.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response refused(PointsRefusedException e) {
        return Problems.response(422, "Not allowed by the points programme", e.getMessage(), e.code());
    }

    /**
     * A reward the customer cannot take: 409 when other redemptions took it (STOCK, LIMIT), 422 when the customer's
     * own state does not allow it (POINTS, TIER, WINDOW), by the first reason; {@code reasons} lists all.
     */
    @ServerExceptionMapper
    public Response rewardRefused(RewardRefusedException e) {
        int status = e.first().reason().isConflict() ? 409 : 422;
        return Problems.response(status, "Reward not available to this customer", e.getMessage(), "REWARD_REFUSED",
                null, Map.of("reason", e.first().reason().name(), "reasons", e.refusals().stream()
                        .map(r -> Map.of("code", r.reason().name(), "detail", r.detail())).toList()));
    }

    @ServerExceptionMapper
    public Response rewardNotFound(RequestProblems.RewardNotFound e) {
        return Problems.response(404, "Unknown reward", e.getMessage(), "REWARD_NOT_FOUND");
    }

    @ServerExceptionMapper
    public Response notFound(RequestProblems.CustomerNotFound e) {
        return Problems.response(404, "Unknown customer", e.getMessage(), "CUSTOMER_NOT_FOUND");
    }

    @ServerExceptionMapper
    public Response keyReused(RequestProblems.IdempotencyKeyReused e) {
        return Problems.response(409, "Idempotency key reused", e.getMessage(), "IDEMPOTENCY_KEY_REUSED");
    }

    @ServerExceptionMapper
    public Response badRequest(RequestProblems.BadRequest e) {
        return Problems.response(400, "Invalid request", e.getMessage(), "INVALID_REQUEST");
    }
}
