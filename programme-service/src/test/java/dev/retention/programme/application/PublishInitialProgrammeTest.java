package dev.retention.programme.application;

import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.RetentionTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Version 1 on first start: published once, whatever restarts and replicas ask for it again. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class PublishInitialProgrammeTest {

    @Inject
    PublishInitialProgramme initial;

    private Optional<ProgrammeVersion> publishIfNone(String programmeId) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> initial.publishIfNone(programmeId));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRestartPublishesNothingMoreAndTheAuditHasOneInitialPublication() throws Throwable {
        Optional<ProgrammeVersion> again = VertxContextSupport.subscribeAndAwait(initial::publishIfNone);

        assertThat(again).isEmpty();
        Response audit = Api.admin().get("/programmes/{id}/audit", "default");
        assertThat(audit.jsonPath().getList("entries.findAll { it.action == 'PUBLISHED' }.version", Integer.class))
                .containsExactly(1);
        assertThat(audit.jsonPath().getList("entries.actor", String.class)).contains("system");
        assertThat(Api.admin().get("/programmes/{id}", "default").jsonPath().getList("versions.version"))
                .hasSize(1);
    }

    @Test
    void replicasStartingTogetherPublishVersionOneExactlyOnce() throws InterruptedException {
        String programme = "replicated-" + UUID.randomUUID();
        List<Optional<ProgrammeVersion>> outcomes = Collections.synchronizedList(new ArrayList<>());
        List<Thread> replicas = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Thread replica = new Thread(() -> outcomes.add(publishIfNone(programme)));
            replicas.add(replica);
            replica.start();
        }
        for (Thread replica : replicas) {
            replica.join();
        }

        assertThat(outcomes).hasSize(5);
        assertThat(outcomes.stream().filter(Optional::isPresent).map(Optional::get).toList()).singleElement()
                .satisfies(v -> {
                    assertThat(v.version()).isEqualTo(1);
                    assertThat(v.publishedBy()).isEqualTo("system");
                    assertThat(v.reason()).isEqualTo("initial programme from configuration");
                });
        assertThat(Api.admin().get("/programmes/{id}", programme).jsonPath().getList("versions.version"))
                .containsExactly(1);
    }
}
