package dev.retention.programme;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.Topics;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulation endpoint's own answers on the real database: who may simulate, what it refuses before asking any
 * service, and that a service it cannot reach fails the simulation with 503 naming that service (no other service runs
 * beside this module's tests; the whole simulation runs in system-tests, ProgrammeSimulationTest).
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class ProgrammeSimulationApiTest {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(1, Topics.RETENTION_PROGRAMME);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static RequestSpecification as(String role) {
        return Api.bearer(Tokens.forTests().token(role + "-1", List.of(role)));
    }

    private static Response simulate(RequestSpecification who, String draftId, Map<String, Object> period) {
        return who.contentType("application/json").body(period).post("/drafts/{id}/simulations", draftId);
    }

    private static final Instant TO = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Instant FROM = TO.minus(90, ChronoUnit.DAYS);

    @Test
    void aMarketerSimulatesAndAServiceThatDoesNotAnswerFailsItWith503NamingTheService() {
        String draft = ProgrammeApiTest.createDraft(ProgrammeApiTest.marketer(), ProgrammeApiTest.newProgramme(),
                ProgrammeApiTest.initial());
        Response answer = simulate(as("marketer"), draft, Map.of("from", FROM.toString(), "to", TO.toString()));
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(503);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.jsonPath().getString("code")).isEqualTo("SIMULATION_UNAVAILABLE");
        assertThat(answer.jsonPath().getString("service"))
                .isIn("points-service", "tier-service", "campaign-service");
    }

    @Test
    void onlyMarketersAndAdminsSimulate() {
        String draft = ProgrammeApiTest.createDraft(ProgrammeApiTest.marketer(), ProgrammeApiTest.newProgramme(),
                ProgrammeApiTest.initial());
        for (String role : List.of("support", "analyst", "storefront")) {
            Response answer = simulate(as(role), draft, Map.of("from", FROM.toString(), "to", TO.toString()));
            assertThat(answer.statusCode()).as(role).isEqualTo(403);
        }
        Response anonymous = Api.anonymous().contentType("application/json")
                .body(Map.of("from", FROM.toString(), "to", TO.toString())).post("/drafts/{id}/simulations", draft);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(simulate(as("admin"), draft, Map.of("from", FROM.toString(), "to", TO.toString())).statusCode())
                .as("an admin passes the role check and reaches the services").isEqualTo(503);
    }

    @Test
    void aPeriodThatEndsBeforeItStartsOrAnImpossibleTopIsRefusedNamingTheField() {
        String draft = ProgrammeApiTest.createDraft(ProgrammeApiTest.marketer(), ProgrammeApiTest.newProgramme(),
                ProgrammeApiTest.initial());
        Response backwards = simulate(as("marketer"), draft, Map.of("from", TO.toString(), "to", FROM.toString()));
        assertThat(backwards.statusCode()).isEqualTo(422);
        assertThat(backwards.jsonPath().getString("code")).isEqualTo("SIMULATION_REFUSED");
        assertThat(backwards.jsonPath().getList("violations.field")).containsExactly("to");

        Response empty = simulate(as("marketer"), draft, Map.of("from", FROM.toString(), "to", FROM.toString()));
        assertThat(empty.jsonPath().getList("violations.field")).containsExactly("to");

        Response withoutPeriod = simulate(as("marketer"), draft, Map.of("top", 500));
        assertThat(withoutPeriod.statusCode()).isEqualTo(400);
        assertThat(withoutPeriod.jsonPath().getList("violations.field", String.class))
                .anySatisfy(field -> assertThat(field).endsWith("from"))
                .anySatisfy(field -> assertThat(field).endsWith("to"))
                .anySatisfy(field -> assertThat(field).endsWith("top"));
    }

    @Test
    void anInvalidDraftIsRefusedWithEveryViolationBeforeAnyServiceIsAsked() {
        ObjectNode broken = ProgrammeApiTest.initial();
        broken.with("guards").put("holdoutShare", 1.5);
        String draft = ProgrammeApiTest.createDraft(ProgrammeApiTest.marketer(), ProgrammeApiTest.newProgramme(),
                broken);
        Response answer = simulate(as("marketer"), draft, Map.of("from", FROM.toString(), "to", TO.toString()));
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(422);
        assertThat(answer.jsonPath().getString("code")).isEqualTo("INVALID_PROGRAMME");
        assertThat(answer.jsonPath().getList("violations.field")).contains("$.guards.holdoutShare");
    }

    @Test
    void anUnknownDraftIs404() {
        Response answer = simulate(as("marketer"), UUID.randomUUID().toString(),
                Map.of("from", FROM.toString(), "to", TO.toString()));
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.jsonPath().getString("code")).isEqualTo("DRAFT_NOT_FOUND");
    }
}
