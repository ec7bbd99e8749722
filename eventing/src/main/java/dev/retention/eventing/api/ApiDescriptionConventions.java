package dev.retention.eventing.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every service's API does alike, written into its description where SmallRye cannot see it (test-support's
 * {@code ApiContract} holds every answer of the API tests to the description):
 * <ul>
 * <li>every error answer is {@code application/problem+json} with the shape of {@link Problems} (schema
 * {@code Problem});</li>
 * <li>an operation that takes parameters or a body can answer 400 (INVALID_REQUEST, MALFORMED_REQUEST);</li>
 * <li>a member that is not required may be {@code null}: the services write absent values as null (Jackson's
 * default), and read null as absent.</li>
 * </ul>
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ApiDescriptionConventions implements OASFilter {

    static final String PROBLEM = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        if (openAPI.getComponents().getSchemas() != null) {
            openAPI.getComponents().getSchemas().values().forEach(ApiDescriptionConventions::optionalMayBeNull);
        }
        openAPI.getComponents().addSchema("Problem", problem());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            if (item.getOperations() == null) {
                continue;
            }
            for (Operation operation : item.getOperations().values()) {
                if (operation.getResponses() == null) {
                    continue;
                }
                boolean takesInput = operation.getRequestBody() != null
                        || operation.getParameters() != null && !operation.getParameters().isEmpty()
                        || item.getParameters() != null && !item.getParameters().isEmpty();
                if (takesInput && !operation.getResponses().hasAPIResponse("400")) {
                    operation.getResponses().addAPIResponse("400", OASFactory.createAPIResponse()
                            .description("invalid request (INVALID_REQUEST, with violations) or malformed body "
                                    + "(MALFORMED_REQUEST)"));
                }
                Map<String, APIResponse> responses = operation.getResponses().getAPIResponses();
                if (responses == null) {
                    continue;
                }
                responses.forEach((status, response) -> {
                    if (status.length() == 3 && status.charAt(0) >= '4' && response.getContent() == null
                            && response.getRef() == null) {
                        response.setContent(OASFactory.createContent().addMediaType(Problems.PROBLEM_JSON,
                                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM))));
                    }
                });
            }
        }
    }

    /** Each property that is not required may be null: {@code type} gains "null", a {@code $ref} an alternative. */
    private static void optionalMayBeNull(Schema schema) {
        if (schema.getProperties() == null) {
            return;
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        for (Map.Entry<String, Schema> property : new ArrayList<>(schema.getProperties().entrySet())) {
            if (required.contains(property.getKey())) {
                continue;
            }
            Schema value = property.getValue();
            if (value.getRef() != null) {
                schema.addProperty(property.getKey(), OASFactory.createSchema().anyOf(List.of(
                        OASFactory.createSchema().ref(value.getRef()),
                        OASFactory.createSchema().type(List.of(Schema.SchemaType.NULL)))));
            } else if (value.getType() != null && !value.getType().contains(Schema.SchemaType.NULL)) {
                List<Schema.SchemaType> types = new ArrayList<>(value.getType());
                types.add(Schema.SchemaType.NULL);
                value.setType(types);
            }
        }
    }

    private static Schema problem() {
        Schema string = OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING));
        Schema integer = OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER));
        return OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem details; code is stable and machine-readable")
                .required(List.of("type", "title", "status", "detail", "code"))
                .addProperty("type", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                        .format("uri"))
                .addProperty("title", string)
                .addProperty("status", integer)
                .addProperty("detail", string)
                .addProperty("code", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                        .pattern("^[A-Z][A-Z0-9_]*$"))
                .addProperty("violations", OASFactory.createSchema()
                        .type(List.of(Schema.SchemaType.ARRAY))
                        .description("INVALID_REQUEST and MALFORMED_REQUEST: each field as the client sent it "
                                + "(orderValue.amount, Idempotency-Key) and what is wrong with it")
                        .items(OASFactory.createSchema()
                                .type(List.of(Schema.SchemaType.OBJECT))
                                .required(List.of("field", "problem"))
                                .addProperty("field", string)
                                .addProperty("problem", string)))
                .addProperty("line", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))
                        .description("MALFORMED_REQUEST for a body that is not JSON: where it stops being JSON"))
                .addProperty("column", integer);
    }
}
