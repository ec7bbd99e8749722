package dev.retention.console.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.console.ConsoleConfig;
import dev.retention.console.session.CurrentSession;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Calls the services' APIs as the signed-in user: their token, so each service decides by their roles. Reads run in
 * parallel where a page needs several answers. The log names the service, method and status, never a path (it holds
 * customer ids) or a body.
 */
@RequestScoped
public class ServiceCalls {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();
    private static final Logger LOG = Logger.getLogger(ServiceCalls.class);

    @Inject
    ConsoleConfig config;
    @Inject
    CurrentSession session;
    @Inject
    ObjectMapper json;

    /** A path segment as a URL carries it: {@code segment("c 1/2")} is {@code c%201%2F2}. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public CompletableFuture<Answer> getAsync(Service service, String path) {
        return send(service, request(service, path).GET().build());
    }

    public Answer get(Service service, String path) {
        return getAsync(service, path).join();
    }

    public Answer post(Service service, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = request(service, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : write(body)));
        headers.forEach(request::header);
        return send(service, request.build()).join();
    }

    public Answer put(Service service, String path, Object body) {
        return send(service, request(service, path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(write(body))).build()).join();
    }

    public Answer postText(Service service, String path, String contentType, String body) {
        return send(service, request(service, path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()).join();
    }

    private HttpRequest.Builder request(Service service, String path) {
        return HttpRequest.newBuilder(base(service).resolve(path.startsWith("/") ? path.substring(1) : path)).timeout(config.services().timeout())
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + session.requireUser().token());
    }

    private CompletableFuture<Answer> send(Service service, HttpRequest request) {
        java.util.Map<String, String> texts = dev.retention.console.view.Texts.of(session.locale());
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
            if (failure != null) {
                // The cause's kind tells a refused connection from a timeout; its message could name the path.
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                LOG.warnf("%s %s: no answer (%s)", service, request.method(), cause.getClass().getSimpleName());
                return new Answer(503, null, Problem.unreachable(service, texts));
            }
            JsonNode body = parse(response.body());
            int status = response.statusCode();
            if (status >= 400) {
                LOG.infof("%s %s: %d", service, request.method(), status);
                return new Answer(status, body, Problem.from(status, body));
            }
            return new Answer(status, body, null);
        });
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private String write(Object body) {
        try {
            return body instanceof String text ? text : json.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private URI base(Service service) {
        ConsoleConfig.Services services = config.services();
        URI uri = switch (service) {
            case POINTS -> services.points();
            case TIERS -> services.tiers();
            case CAMPAIGNS -> services.campaigns();
            case NOTIFICATIONS -> services.notifications();
            case PROGRAMME -> services.programme();
            case INSIGHTS -> services.insights();
        };
        return uri.toString().endsWith("/") ? uri : URI.create(uri + "/");
    }
}
