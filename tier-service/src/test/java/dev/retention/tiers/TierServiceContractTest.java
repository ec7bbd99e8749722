package dev.retention.tiers;

import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class TierServiceContractTest extends ServiceContractTest {

    @Override
    protected List<String> ownTables() {
        return List.of("tier_order", "tier_status", "tier_history");
    }
}
