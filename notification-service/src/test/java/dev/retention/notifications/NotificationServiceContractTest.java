package dev.retention.notifications;

import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class NotificationServiceContractTest extends ServiceContractTest {

    @Override
    protected List<String> ownTables() {
        return List.of("contact", "notification", "customer_erasure_request");
    }
}
