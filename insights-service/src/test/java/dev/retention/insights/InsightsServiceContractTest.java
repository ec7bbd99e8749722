package dev.retention.insights;

import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class InsightsServiceContractTest extends ServiceContractTest {

    @Override
    protected List<String> ownTables() {
        return List.of("insights_customer", "customer_order", "customer_order_month", "retention_counter", "exposure",
                "trigger_sent", "uplift_cell", "redemption_cell", "points_month", "liability_by_tier", "tier_month",
                "snapshot_published");
    }
}
