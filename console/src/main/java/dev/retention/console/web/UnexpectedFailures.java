package dev.retention.console.web;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.UUID;

/**
 * A page that fails is logged with a reference and the page's first path segment only (a full path holds a customer
 * id), and the user gets that reference instead of a stack trace.
 */
public class UnexpectedFailures {

    private static final Logger LOG = Logger.getLogger(UnexpectedFailures.class);

    @ServerExceptionMapper
    public Response failed(Throwable failure, UriInfo uri) {
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            return web.getResponse();
        }
        String reference = UUID.randomUUID().toString().substring(0, 8);
        String section = uri.getPathSegments().isEmpty() ? "" : uri.getPathSegments().get(0).getPath();
        LOG.errorf(failure, "page /%s… failed (reference %s)", section, reference);
        return Response.serverError().type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                .entity("The console could not show this page (reference " + reference + "). Please report the reference.")
                .build();
    }
}
