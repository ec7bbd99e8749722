package dev.retention.eventing.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The errors every API shares: 401 and 403 from authentication, {@link ApiProblem}s, bean validation failures (each
 * field named as the client sees it: {@code orderValue.amount} in the body, {@code Idempotency-Key} for a header),
 * bodies that are not JSON or not of the declared types ({@link JsonBodyProblems}) and JAX-RS's own (unknown path,
 * wrong method), all as problem+json.
 */
public class CommonProblemMappers {

    @ServerExceptionMapper
    public Response problem(ApiProblem e) {
        return Problems.response(e.status(), e.title(), e.getMessage(), e.code(), e.violations());
    }

    /**
     * A body Jackson could not read as the type it must have. Quarkus REST rethrows these as they are; its own mapper
     * for them answers an empty 400, so this one is more urgent (lower priority number) than every other.
     */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatchedBody(MismatchedInputException e) {
        return JsonBodyProblems.of(e);
    }

    /** Invalid JSON, and other refusals of Jackson's that reach us unwrapped. */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response unreadableBody(JsonProcessingException e) {
        return JsonBodyProblems.of(e);
    }

    /** No token, or one that is expired, unsigned, from another issuer or signed with another key. */
    @ServerExceptionMapper({io.quarkus.security.UnauthorizedException.class,
            io.quarkus.security.AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e) {
        Response problem = Problems.response(401, "Unauthorized", "a valid bearer token is required",
                "UNAUTHENTICATED");
        return Response.fromResponse(problem).header("WWW-Authenticate", "Bearer").build();
    }

    /** A valid token whose roles do not include one the endpoint admits. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return Problems.response(403, "Forbidden", "this token's roles may not call this endpoint", "FORBIDDEN");
    }

    @ServerExceptionMapper
    public Response tooManyAttempts(AttemptLimiter.TooManyAttempts e) {
        Response problem = Problems.response(e.status(), e.title(), e.getMessage(), e.code());
        return Response.fromResponse(problem).header("Retry-After", e.retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Map<String, String>> violations = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", field(v), "problem", v.getMessage()))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .toList();
        return Problems.response(400, "Invalid request", violations.size() + " field(s) invalid", "INVALID_REQUEST",
                violations);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, ResourceInfo resource, UriInfo uri) {
        // Quarkus REST wraps syntax errors and Jackson's other refusals of a body (a value out of range, a constructor
        // refusing its arguments) in a 400 whose message says nothing more than "HTTP 400 Bad Request".
        if (e.getCause() instanceof JsonProcessingException json) {
            return JsonBodyProblems.of(json);
        }
        // JAX-RS answers 404 when a query or path parameter cannot be read as its type (?limit=abc): the resource
        // exists, the request is malformed. Which parameter it was, the exception does not say: found again here.
        if (e instanceof jakarta.ws.rs.NotFoundException && e.getCause() != null && resource != null
                && resource.getResourceMethod() != null) {
            String parameter = UnreadableParameters.first(resource.getResourceMethod(), uri);
            if (parameter != null) {
                return Problems.response(400, "Malformed request", parameter + ": not a value of its type",
                        "MALFORMED_REQUEST", List.of(Map.of("field", parameter, "problem", "not a value of its type")));
            }
        }
        int status = e.getResponse().getStatus();
        return Problems.response(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(),
                status == 400 ? "MALFORMED_REQUEST" : status == 404 ? "NOT_FOUND" : "HTTP_" + status);
    }

    /** The property path inside a body, else the HTTP name of the parameter (header, query, path). */
    static String field(ConstraintViolation<?> violation) {
        Path.MethodNode method = null;
        Path.ParameterNode parameter = null;
        List<String> properties = new ArrayList<>();
        for (Path.Node node : violation.getPropertyPath()) {
            // An element of a list is named as the client wrote it: segment.tiers[0], lines[2].sku.
            if (node.isInIterable() && node.getIndex() != null && !properties.isEmpty()) {
                properties.set(properties.size() - 1, properties.get(properties.size() - 1) + "[" + node.getIndex() + "]");
            }
            if (node.getKind() == ElementKind.METHOD) {
                method = node.as(Path.MethodNode.class);
            } else if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.as(Path.ParameterNode.class);
            } else if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                properties.add(node.getName());
            }
        }
        if (!properties.isEmpty()) {
            return String.join(".", properties);
        }
        if (method != null && parameter != null) {
            String http = httpName(violation.getRootBeanClass(), method, parameter.getParameterIndex());
            return http != null ? http : parameter.getName();
        }
        return violation.getPropertyPath().toString();
    }

    private static String httpName(Class<?> type, Path.MethodNode node, int index) {
        Class<?>[] types = node.getParameterTypes().toArray(Class<?>[]::new);
        // The root bean may be a generated subclass whose override carries no annotations: look up the hierarchy.
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Method method = c.getDeclaredMethod(node.getName(), types);
                for (Annotation annotation : method.getParameterAnnotations()[index]) {
                    if (annotation instanceof HeaderParam header) {
                        return header.value();
                    } else if (annotation instanceof QueryParam query) {
                        return query.value();
                    } else if (annotation instanceof PathParam path) {
                        return path.value();
                    } else if (annotation instanceof CookieParam cookie) {
                        return cookie.value();
                    } else if (annotation instanceof FormParam form) {
                        return form.value();
                    }
                }
            } catch (NoSuchMethodException notHere) {
                // declared further up
            }
        }
        return null;
    }
}
