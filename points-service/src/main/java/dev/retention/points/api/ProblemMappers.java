package dev.retention.points.api;

import dev.retention.eventing.api.Problems;
import dev.retention.points.application.RequestProblems;
import dev.retention.points.domain.PointsRefusedException;
import jakarta.ws.rs.core.Response;
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
