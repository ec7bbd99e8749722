package dev.retention.tiers;

import dev.retention.testsupport.Api;
import dev.retention.testsupport.RetentionTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.retention.testsupport.Api.assertAllowed;
import static dev.retention.testsupport.Api.assertRefused;

/** Every endpoint of the tier API with every role, the forbidden cases included. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class TierAccessTest {

    private static final String CUSTOMER = "c-access-1";
    private static final Map<String, Function<RequestSpecification, Response>> PER_CUSTOMER = Map.of(
            "tier", spec -> spec.get("/customers/{id}/tier", CUSTOMER),
            "history", spec -> spec.get("/customers/{id}/tier/history", CUSTOMER));

    @Test
    void withoutAValidTokenEveryCallIs401() {
        Api.invalidCredentials().forEach(spec -> Api.assertUnauthenticated(spec.get().get("/tiers")));
        PER_CUSTOMER.values().forEach(call -> Api.invalidCredentials().forEach(spec ->
                Api.assertUnauthenticated(call.apply(spec.get()))));
    }

    @Test
    void everyRoleReadsTheTierDefinitions() {
        List.of(Api.admin(), Api.support(), Api.analyst(), Api.storefront(CUSTOMER))
                .forEach(spec -> assertAllowed(spec.get("/tiers")));
    }

    @Test
    void staffReadAnyCustomersTierTheStorefrontItsOwnTheAnalystNone() {
        PER_CUSTOMER.forEach((name, call) -> {
            assertAllowed(call.apply(Api.admin()));
            assertAllowed(call.apply(Api.support()));
            assertAllowed(call.apply(Api.storefront(CUSTOMER)));
            assertRefused(call.apply(Api.storefront("c-someone-else")), 403, "NOT_YOUR_CUSTOMER");
            assertRefused(call.apply(Api.analyst()), 403, "FORBIDDEN");
        });
    }
}
