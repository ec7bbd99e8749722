package dev.retention.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Holds every answer the API tests get through {@link Api} to the service's own description: the JSON body of a
 * response must match the schema that {@code /q/openapi} declares for that operation, status and media type, and
 * an answer with a body must be described at all (operation, status, media type). A mismatch fails the request's
 * test where it was made (system property {@code retention.api-contract=report} only records it), and every mismatch
 * is appended to {@code target/api-contract-mismatches.txt}.
 */
public final class ApiContract implements Filter {

    static final ApiContract INSTANCE = new ApiContract();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPORT = Path.of("target", "api-contract-mismatches.txt");

    private final Map<String, Description> descriptions = new ConcurrentHashMap<>();

    private ApiContract() {
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
                           FilterContext context) {
        Response response = context.next(request, responseSpec);
        URI uri = URI.create(request.getURI());
        if (uri.getPath().startsWith("/q/")) {
            return response;
        }
        String base = uri.getScheme() + "://" + uri.getAuthority();
        List<String> mismatches = descriptions.computeIfAbsent(base, Description::load)
                .mismatches(request.getMethod(), uri.getRawPath(), response);
        if (!mismatches.isEmpty()) {
            String found = request.getMethod() + " " + uri.getRawPath() + " -> " + response.statusCode() + ": "
                    + String.join("; ", mismatches);
            record(found);
            if (!"report".equals(System.getProperty("retention.api-contract"))) {
                throw new AssertionError("the answer does not match the service's API description: " + found
                        + "\nbody: " + response.asString());
            }
        }
        return response;
    }

    private static synchronized void record(String mismatch) {
        try {
            Files.createDirectories(REPORT.getParent());
            Files.writeString(REPORT, mismatch + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One service's description, written to a file so that its {@code $ref}s resolve against it. */
    private static final class Description {

        private final List<Operation> operations = new ArrayList<>();

        private Description(JsonNode openapi, Path file) {
            // Each response schema is copied under /x-checked/<n> of the file: a pointer without path templates.
            ArrayNode checked = ((ObjectNode) openapi).putArray("x-checked");
            openapi.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                if (!op.getValue().has("responses")) {
                    return;
                }
                Operation operation = new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey());
                op.getValue().get("responses").fields().forEachRemaining(status -> {
                    JsonNode content = status.getValue().get("content");
                    Map<String, Integer> media = new ConcurrentHashMap<>();
                    if (content != null) {
                        content.fields().forEachRemaining(type -> {
                            if (type.getValue().has("schema")) {
                                checked.add(type.getValue().get("schema"));
                                media.put(type.getKey(), checked.size() - 1);
                            } else {
                                media.put(type.getKey(), -1);
                            }
                        });
                    }
                    operation.responses.put(status.getKey(), media);
                });
                operations.add(operation);
            }));
            try {
                Files.createDirectories(file.getParent());
                JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), openapi);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
            for (Operation operation : operations) {
                for (Map<String, Integer> media : operation.responses.values()) {
                    media.forEach((type, index) -> {
                        if (index >= 0) {
                            operation.schemas.put(index, factory.getSchema(
                                    SchemaLocation.of(file.toUri() + "#/x-checked/" + index), config));
                        }
                    });
                }
            }
            // Literal segments before templates where both could match.
            operations.sort(Comparator.comparingLong((Operation o) -> o.template.chars().filter(c -> c == '{').count())
                    .thenComparing(o -> -o.template.length()));
        }

        static Description load(String base) {
            URI root = URI.create(base);
            Response answer = RestAssured.given().baseUri(root.getScheme() + "://" + root.getHost())
                    .port(root.getPort()).accept("application/json").get("/q/openapi");
            if (answer.statusCode() != 200) {
                throw new AssertionError("no API description at " + base + "/q/openapi: " + answer.statusCode());
            }
            try {
                JsonNode openapi = JSON.readTree(answer.asString());
                Path file = Path.of("target", "api-descriptions",
                        "openapi-" + root.getPort() + "-" + System.nanoTime() + ".json").toAbsolutePath();
                return new Description(openapi, file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<String> mismatches(String method, String path, Response response) {
            String body = response.asString();
            String contentType = response.contentType() == null ? "" : response.contentType();
            String mediaType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
            boolean json = mediaType.equals("application/json") || mediaType.endsWith("+json");
            Operation operation = operations.stream()
                    .filter(o -> o.method.equals(method) && o.pattern.matcher(path).matches())
                    .findFirst().orElse(null);
            if (operation == null) {
                boolean unknownPath = operations.stream().noneMatch(o -> o.pattern.matcher(path).matches());
                // An unknown path answers 404 (the kit's NOT_FOUND): there is nothing to describe.
                return body.isEmpty() || unknownPath && response.statusCode() == 404 ? List.of()
                        : List.of("operation not described");
            }
            String status = Integer.toString(response.statusCode());
            Map<String, Integer> media = operation.responses.get(status);
            if (media == null) {
                media = operation.responses.get(status.charAt(0) + "XX");
            }
            if (media == null) {
                media = operation.responses.get("default");
            }
            if (media == null) {
                return List.of("status " + status + " not described for " + operation.method + " "
                        + operation.template);
            }
            if (body.isEmpty()) {
                return List.of();
            }
            Integer index = media.get(mediaType);
            if (index == null) {
                index = media.get("*/*");
            }
            if (index == null) {
                return List.of("media type " + mediaType + " not described for " + status + " (described: "
                        + media.keySet() + ")");
            }
            if (index < 0) {
                return List.of("no schema for " + mediaType + " " + status);
            }
            if (!json) {
                return List.of();
            }
            try {
                Set<ValidationMessage> errors = operation.schemas.get(index).validate(JSON.readTree(body));
                return errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.toList());
            } catch (IOException e) {
                return List.of("body is not JSON: " + e.getMessage());
            }
        }
    }

    private static final class Operation {
        final String method;
        final String template;
        final Pattern pattern;
        final Map<String, Map<String, Integer>> responses = new ConcurrentHashMap<>();
        final Map<Integer, JsonSchema> schemas = new ConcurrentHashMap<>();

        Operation(String method, String template) {
            this.method = method;
            this.template = template;
            StringBuilder regex = new StringBuilder();
            for (Iterator<String> parts = List.of(template.split("\\{[^}/]+}", -1)).iterator(); parts.hasNext(); ) {
                regex.append(Pattern.quote(parts.next()));
                if (parts.hasNext()) {
                    regex.append("[^/]+");
                }
            }
            this.pattern = Pattern.compile(regex.toString());
        }
    }
}
