package dev.retention.programme;

import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.RetentionTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint of the programme API with every role. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class ProgrammeAccessTest {

    private static String draft;

    @BeforeEach
    void aDraft() {
        if (draft == null) {
            draft = ProgrammeApiTest.createDraft(Api.admin(), "default", ProgrammeJson.initialTree());
        }
    }

    private static final Map<String, Function<RequestSpecification, Response>> MARKETER_CALLS = Map.of(
            "programme", spec -> spec.get("/programmes/{id}", "default"),
            "version", spec -> spec.get("/programmes/{id}/versions/{n}", "default", 1),
            "audit", spec -> spec.get("/programmes/{id}/audit", "default"),
            "create draft", spec -> spec.contentType("application/json")
                    .body(Map.of("document", ProgrammeJson.initialTree())).post("/programmes/{id}/drafts", "default"),
            "read draft", spec -> spec.get("/drafts/{id}", draft),
            "update draft", spec -> spec.contentType("application/json")
                    .body(Map.of("document", ProgrammeJson.initialTree(), "note", "same")).put("/drafts/{id}", draft),
            "validate", spec -> spec.post("/drafts/{id}/validation", draft));

    /** Refused before they could publish anything: the bodies are complete but take effect in the past. */
    private static final Map<String, Function<RequestSpecification, Response>> ADMIN_CALLS = Map.of(
            "publish", spec -> spec.contentType("application/json")
                    .body(Map.of("reason", "x", "effectiveFrom", "2020-01-01T00:00:00Z"))
                    .post("/drafts/{id}/publication", draft),
            "roll back", spec -> spec.contentType("application/json")
                    .body(Map.of("toVersion", 1, "reason", "x", "effectiveFrom", "2020-01-01T00:00:00Z"))
                    .post("/programmes/{id}/rollbacks", "default"));

    @Test
    void withoutAValidTokenEveryCallIs401() {
        MARKETER_CALLS.forEach((name, call) -> Api.invalidCredentials().forEach(spec ->
                Api.assertUnauthenticated(call.apply(spec.get()))));
        ADMIN_CALLS.forEach((name, call) -> Api.invalidCredentials().forEach(spec ->
                Api.assertUnauthenticated(call.apply(spec.get()))));
    }

    @Test
    void aMarketerDraftsValidatesAndReadsButNeitherPublishesNorRollsBack() {
        MARKETER_CALLS.forEach((name, call) -> {
            Response response = call.apply(ProgrammeApiTest.marketer());
            assertThat(response.statusCode()).as(name + ": " + response.asString()).isIn(200, 201);
        });
        ADMIN_CALLS.forEach((name, call) -> Api.assertRefused(call.apply(ProgrammeApiTest.marketer()), 403, "FORBIDDEN"));
    }

    @Test
    void anAdminMayDoEverything() {
        MARKETER_CALLS.forEach((name, call) -> {
            Response response = call.apply(Api.admin());
            assertThat(response.statusCode()).as(name + ": " + response.asString()).isIn(200, 201);
        });
        ADMIN_CALLS.forEach((name, call) -> Api.assertRefused(call.apply(Api.admin()), 422, "PUBLICATION_REFUSED"));
    }

    @Test
    void supportAnalystAndStorefrontMayNotTouchTheProgramme() {
        for (Supplier<RequestSpecification> who : List.<Supplier<RequestSpecification>>of(
                Api::support, Api::analyst, () -> Api.storefront("c-1"))) {
            MARKETER_CALLS.forEach((name, call) -> Api.assertRefused(call.apply(who.get()), 403, "FORBIDDEN"));
            ADMIN_CALLS.forEach((name, call) -> Api.assertRefused(call.apply(who.get()), 403, "FORBIDDEN"));
        }
    }
}
