package dev.retention.points.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.regex.Pattern;

/**
 * A reward redemption's body is optional: a request without one has no content type (or a client's default, such as
 * text/plain), which the JSON endpoint would refuse with 415 before it could see that nothing was sent. An empty
 * request is read as JSON (no currency). Only this endpoint: elsewhere the content type is held as sent.
 */
public class OptionalRedemptionBody {

    private static final Pattern REWARD_REDEMPTION = Pattern.compile("/customers/[^/]+/rewards/[^/]+/redemptions/?");

    @ServerRequestFilter(preMatching = true)
    public void emptyBodyIsJson(ContainerRequestContext request) {
        if ("POST".equals(request.getMethod()) && isEmpty(request)
                && REWARD_REDEMPTION.matcher(request.getUriInfo().getPath()).matches()) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }

    /** No content type, or a length of 0 (a chunked body has no length and is read as sent). */
    private static boolean isEmpty(ContainerRequestContext request) {
        return request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null
                || "0".equals(request.getHeaderString(HttpHeaders.CONTENT_LENGTH));
    }
}
