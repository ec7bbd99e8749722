package dev.retention.programme;

import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.GeneratedRequests;
import dev.retention.testsupport.RetentionTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The programme API's bodies generated from its own OpenAPI document: what the description admits is answered 2xx or
 * with a code it documents, never as malformed; each single fault is a 400 problem+json naming the field.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class ProgrammeApiGeneratedBodiesTest {

    static final int BODIES = 100;

    @Test
    void draftBodies() {
        GeneratedRequests api = GeneratedRequests.ofRunningService();
        String programme = "generated-" + UUID.randomUUID().toString().substring(0, 8);

        Map<Integer, Integer> created = api.check(api.operation("POST", "/programmes/{programmeId}/drafts"), BODIES,
                n -> ProgrammeApiTest.marketer(), n -> "/programmes/" + programme + "/drafts", body -> body);
        String draft = ProgrammeApiTest.createDraft(ProgrammeApiTest.marketer(), programme, ProgrammeJson.initialTree());
        Map<Integer, Integer> updated = api.check(api.operation("PUT", "/drafts/{draftId}"), BODIES,
                n -> ProgrammeApiTest.marketer(), n -> "/drafts/" + draft, body -> body);

        assertThat(created).containsOnlyKeys(201);
        assertThat(updated).containsOnlyKeys(200);
    }

    @Test
    void publicationAndRollbackBodies() {
        GeneratedRequests api = GeneratedRequests.ofRunningService();
        String programme = "generated-" + UUID.randomUUID().toString().substring(0, 8);
        String draft = ProgrammeApiTest.createDraft(ProgrammeApiTest.marketer(), programme, ProgrammeJson.initialTree());
        assertThat(ProgrammeApiTest.publish(draft, Instant.now().plusSeconds(1), "first").statusCode()).isEqualTo(201);

        Map<Integer, Integer> published = api.check(api.operation("POST", "/drafts/{draftId}/publication"), BODIES,
                n -> Api.admin(), n -> "/drafts/" + draft + "/publication", body -> body);
        Map<Integer, Integer> rolledBack = api.check(api.operation("POST", "/programmes/{programmeId}/rollbacks"),
                BODIES, n -> Api.admin(), n -> "/programmes/" + programme + "/rollbacks", body -> body);

        System.out.println("publications answered " + published + ", roll-backs " + rolledBack);
        assertThat(published.keySet()).isSubsetOf(201, 422);
        assertThat(rolledBack.keySet()).isSubsetOf(201, 422);
    }

    @Test
    void simulationBodies() {
        GeneratedRequests api = GeneratedRequests.ofRunningService();
        String draft = ProgrammeApiTest.createDraft(ProgrammeApiTest.marketer(),
                "generated-" + UUID.randomUUID().toString().substring(0, 8), ProgrammeJson.initialTree());

        Map<Integer, Integer> simulated = api.check(api.operation("POST", "/drafts/{draftId}/simulations"), 40,
                n -> ProgrammeApiTest.marketer(), n -> "/drafts/" + draft + "/simulations", body -> body,
                java.util.Set.of(503));

        // No service runs beside this module's tests: a period the description admits reaches them (503), one that
        // ends before it starts is refused (422).
        System.out.println("simulations answered " + simulated);
        assertThat(simulated.keySet()).isSubsetOf(422, 503).contains(503);
    }

    @Test
    void everyOperationWithABodyIsGenerated() {
        assertThat(GeneratedRequests.ofRunningService().operationsWithJsonBodies()).map(Object::toString)
                .containsExactlyInAnyOrder("POST /programmes/{programmeId}/drafts", "PUT /drafts/{draftId}",
                        "POST /drafts/{draftId}/publication", "POST /programmes/{programmeId}/rollbacks",
                        "POST /drafts/{draftId}/simulations");
    }
}
