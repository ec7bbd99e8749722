package dev.retention.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.testsupport.schema.JsonSchemaArbitraries;
import dev.retention.testsupport.schema.SchemaMutations;
import dev.retention.testsupport.schema.SchemaMutations.Mutation;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies generated from a running service's own OpenAPI document ({@code /q/openapi}), so a change of the API
 * changes what is sent. A body the description admits must be answered 2xx or with a 4xx code the operation documents;
 * a body with one fault (wrong JSON type, member missing, out of range, too long, off its pattern or format, outside
 * its enum) must be a 400 problem+json naming that field as the client wrote it ({@code orderValue.amount}).
 *
 * <p>Quarkus tests run on JUnit Jupiter, not on jqwik's engine: the bodies come from the same jqwik generators as the
 * event properties, as samples, so a failure names the whole body (jqwik's shrinking needs its engine).
 */
public final class GeneratedRequests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCUMENT = "openapi";

    private final JsonNode description;
    private final JsonSchemaArbitraries schemas;
    private final SchemaMutations mutations;

    private GeneratedRequests(JsonNode description) {
        this.description = description;
        this.schemas = JsonSchemaArbitraries.inDocument(DOCUMENT, description);
        this.mutations = new SchemaMutations(schemas);
    }

    /** The description the service under test serves, as JSON. */
    public static GeneratedRequests ofRunningService() {
        String json = RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString();
        try {
            JsonNode description = JSON.readTree(json);
            // Kept beside the test's reports: what the bodies were generated from.
            java.nio.file.Path kept = java.nio.file.Path.of("target", "openapi-"
                    + description.path("info").path("title").asText("service") + ".json");
            java.nio.file.Files.createDirectories(kept.getParent());
            java.nio.file.Files.writeString(kept, json);
            return new GeneratedRequests(description);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An operation with a JSON body: its method, path template, body schema and the status codes it documents. */
    public record Operation(String method, String path, String bodySchema, Set<Integer> documented) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every operation of the description whose request body is JSON. */
    public List<Operation> operationsWithJsonBodies() {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = description.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                JsonNode schema = method.getValue().path("requestBody").path("content").path("application/json")
                        .path("schema");
                if (schema.isMissingNode()) {
                    continue;
                }
                Set<Integer> documented = new TreeSet<>();
                method.getValue().path("responses").fieldNames().forEachRemaining(code -> {
                    if (code.matches("\\d{3}")) {
                        documented.add(Integer.parseInt(code));
                    }
                });
                String ref = schema.path("$ref").asText("");
                if (!ref.startsWith("#/")) {
                    throw new IllegalStateException(method.getKey() + " " + path.getKey()
                            + ": a body schema not named in components: " + schema);
                }
                operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), ref, documented));
            }
        }
        return operations;
    }

    public Operation operation(String method, String path) {
        return operationsWithJsonBodies().stream()
                .filter(o -> o.method().equals(method) && o.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("the description has no JSON body for " + method + " " + path));
    }

    /** Bodies valid against the operation's schema, {@code count} of them. */
    public List<JsonNode> validBodies(Operation operation, int count) {
        return schemas.valid(DOCUMENT, operation.bodySchema()).sampleStream().limit(count).toList();
    }

    /** One fault put into a valid body, chosen by {@code choice}. */
    public Mutation fault(Operation operation, JsonNode valid, int choice) {
        return mutations.choose(DOCUMENT, operation.bodySchema(), valid, "", choice);
    }

    /**
     * Sends {@code valid} bodies and as many with one fault each to the operation and checks every answer.
     *
     * @param request  a fresh authorised request for the n-th body (its path parameters, key and token)
     * @param path     the path with its parameters filled in, for the n-th body
     * @param prepare  the body as the caller will send it (e.g. an order id made unique), or as generated
     * @return the status codes of the valid bodies and how often each was answered, for the caller's note
     */
    public Map<Integer, Integer> check(Operation operation, int count, Function<Integer, RequestSpecification> request,
                                       Function<Integer, String> path, Function<JsonNode, JsonNode> prepare) {
        return check(operation, count, request, path, prepare, Set.of());
    }

    /**
     * As above, where a valid body may also be answered with one of {@code unavailable} (documented 5xx statuses, e.g.
     * 503 where a service the operation calls does not run beside the test).
     */
    public Map<Integer, Integer> check(Operation operation, int count, Function<Integer, RequestSpecification> request,
                                       Function<Integer, String> path, Function<JsonNode, JsonNode> prepare,
                                       Set<Integer> unavailable) {
        Random choices = new Random();
        Map<Integer, Integer> answered = new TreeMap<>();
        List<JsonNode> bodies = validBodies(operation, count);
        for (int n = 0; n < bodies.size(); n++) {
            JsonNode body = prepare.apply(bodies.get(n));
            Response response = send(operation, request.apply(n), path.apply(n), body);
            String context = operation + " (documents " + operation.documented() + ") valid body " + body + " -> "
                    + response.statusCode() + " " + response.asString();
            int status = response.statusCode();
            assertThat(status >= 200 && status < 300 || (status >= 400 && status < 500 || unavailable.contains(status))
                    && operation.documented().contains(status)).as(context).isTrue();
            if (status >= 400) {
                assertThat(response.contentType()).as(context).startsWith("application/problem+json");
                // The description admitted the body: if the service cannot read it, the two disagree.
                assertThat(response.jsonPath().getString("code")).as(context).isNotEqualTo("MALFORMED_REQUEST");
                if (status == 400) {
                    System.out.println("admitted by the description, refused: " + context);
                }
            }
            answered.merge(status, 1, Integer::sum);

            Mutation mutation = fault(operation, body, choices.nextInt(1_000_000));
            Response refused = send(operation, request.apply(n), path.apply(n), mutation.document());
            String faultContext = operation + " " + mutation + " -> " + refused.statusCode() + " "
                    + refused.asString();
            assertThat(refused.statusCode()).as(faultContext).isEqualTo(400);
            assertThat(refused.contentType()).as(faultContext).startsWith("application/problem+json");
            assertThat(refused.jsonPath().getString("code")).as(faultContext)
                    .isIn("MALFORMED_REQUEST", "INVALID_REQUEST");
            assertThat(refused.jsonPath().getList("violations.field", String.class)).as(faultContext)
                    .contains(mutation.field());
        }
        return answered;
    }

    private static Response send(Operation operation, RequestSpecification request, String path, JsonNode body) {
        try {
            return request.contentType("application/json").body(JSON.writeValueAsBytes(body))
                    .request(operation.method(), path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
