package dev.retention.programme;

import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class ProgrammeServiceContractTest extends ServiceContractTest {

    @Override
    protected List<String> ownTables() {
        return List.of("programme_draft", "programme_version", "programme_audit");
    }
}
