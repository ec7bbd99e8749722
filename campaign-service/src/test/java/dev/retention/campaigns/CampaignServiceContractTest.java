package dev.retention.campaigns;

import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class CampaignServiceContractTest extends ServiceContractTest {

    @Override
    protected List<String> ownTables() {
        return List.of("campaign_customer", "campaign_order", "shipment_timer", "trigger_log", "voucher", "campaign",
                "voucher_api_rejection");
    }
}
