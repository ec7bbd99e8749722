package dev.retention.programme;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.RetentionTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A deployment that names its own initial programme (retention.programme.initial-document) starts with it. */
@QuarkusTest
@TestProfile(InitialDocumentFileTest.FromFile.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class InitialDocumentFileTest {

    public static class FromFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            ObjectNode document = (ObjectNode) ProgrammeJson.initialTree().deepCopy();
            ((ObjectNode) document.get("bonuses")).put("signup", 250);
            try {
                Path file = Files.createTempFile("initial-programme", ".json");
                Files.writeString(file, document.toString());
                file.toFile().deleteOnExit();
                return Map.of("retention.programme.initial-document", file.toString(),
                        "retention.programme.id", "configured");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void versionOneOfTheConfiguredProgrammeIsTheNamedFile() {
        Response version = Api.admin().get("/programmes/{id}/versions/{n}", "configured", 1);

        assertThat(version.statusCode()).as(version.asString()).isEqualTo(200);
        assertThat(version.jsonPath().getInt("document.bonuses.signup")).isEqualTo(250);
        assertThat(version.jsonPath().getString("publishedBy")).isEqualTo("system");
        assertThat(Api.admin().get("/programmes/{id}", "default").statusCode()).isEqualTo(404);
    }
}
