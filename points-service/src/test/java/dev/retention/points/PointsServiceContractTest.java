package dev.retention.points;

import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class PointsServiceContractTest extends ServiceContractTest {

    @Override
    protected List<String> ownTables() {
        return List.of("points_account", "points_order", "points_ledger", "customer_tier", "points_api_request");
    }
}
