package dev.retention.campaigns;

import dev.retention.testsupport.Api;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static dev.retention.testsupport.Api.assertAllowed;
import static dev.retention.testsupport.Api.assertRefused;

/** Every endpoint of the campaign API with every role, the forbidden cases included. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class CampaignAccessTest {

    private static final String CUSTOMER = "c-access-1";
    private static final Map<String, Function<RequestSpecification, Response>> CALLS = Map.of(
            "create campaign", spec -> spec.contentType(ContentType.JSON).body(Map.of()).post("/campaigns"),
            "segment size", spec -> spec.contentType(ContentType.JSON).body(Map.of("segment", Map.of()))
                    .post("/segment-sizes"),
            "list campaigns", spec -> spec.get("/campaigns"),
            "read campaign", spec -> spec.get("/campaigns/{id}", "no-such-campaign"),
            "cancel campaign", spec -> spec.post("/campaigns/{id}/cancellation", "no-such-campaign"),
            "vouchers", spec -> spec.get("/customers/{id}/vouchers", CUSTOMER),
            "redeem voucher", spec -> spec.contentType(ContentType.JSON).body(Map.of("customerId", CUSTOMER,
                    "orderId", "o-1", "orderValue", Map.of("amount", "20.00", "currency", "EUR")))
                    .post("/vouchers/{code}/redemptions", "NOPE-NOPE-NOPE"),
            "validate voucher", spec -> spec.contentType(ContentType.JSON).body(Map.of("customerId", CUSTOMER,
                    "orderValue", Map.of("amount", "20.00", "currency", "EUR")))
                    .post("/vouchers/{code}/validations", "NOPE-NOPE-NOPE"),
            "triggers", spec -> spec.get("/customers/{id}/triggers", CUSTOMER));

    @Test
    void withoutAValidTokenEveryCallIs401() {
        CALLS.values().forEach(call -> Api.invalidCredentials().forEach(spec ->
                Api.assertUnauthenticated(call.apply(spec.get()))));
    }

    @Test
    void adminRunsCampaignsAndReadsEverythingButDoesNotRedeem() {
        CALLS.forEach((name, call) -> {
            if (name.equals("redeem voucher")) {
                assertRefused(call.apply(Api.admin()), 403, "FORBIDDEN");
            } else {
                assertAllowed(call.apply(Api.admin()));
            }
        });
    }

    @Test
    void supportReadsCampaignsVouchersAndTriggersButChangesNothing() {
        for (String allowed : new String[]{"list campaigns", "read campaign", "vouchers", "triggers",
                "validate voucher"}) {
            assertAllowed(CALLS.get(allowed).apply(Api.support()));
        }
        for (String refused : new String[]{"create campaign", "cancel campaign", "segment size", "redeem voucher"}) {
            assertRefused(CALLS.get(refused).apply(Api.support()), 403, "FORBIDDEN");
        }
    }

    @Test
    void theMarketerRunsCampaignsAndSizesSegmentsButSeesNoCustomersVouchersOrTriggers() {
        Set<String> campaignWork = Set.of("create campaign", "list campaigns", "read campaign", "cancel campaign",
                "segment size");
        CALLS.forEach((name, call) -> {
            if (campaignWork.contains(name)) {
                assertAllowed(call.apply(marketer()));
            } else {
                assertRefused(call.apply(marketer()), 403, "FORBIDDEN");
            }
        });
    }

    @Test
    void theAnalystReadsCampaignsOnly() {
        CALLS.forEach((name, call) -> {
            if (name.equals("list campaigns") || name.equals("read campaign")) {
                assertAllowed(call.apply(Api.analyst()));
            } else {
                assertRefused(call.apply(Api.analyst()), 403, "FORBIDDEN");
            }
        });
    }

    @Test
    void theStorefrontSeesAndRedeemsItsOwnCustomersVouchersOnly() {
        assertAllowed(CALLS.get("vouchers").apply(Api.storefront(CUSTOMER)));
        assertAllowed(CALLS.get("redeem voucher").apply(Api.storefront(CUSTOMER)));
        assertAllowed(CALLS.get("validate voucher").apply(Api.storefront(CUSTOMER)));
        assertRefused(CALLS.get("validate voucher").apply(Api.storefront("c-someone-else")), 403,
                "NOT_YOUR_CUSTOMER");
        assertRefused(CALLS.get("vouchers").apply(Api.storefront("c-someone-else")), 403, "NOT_YOUR_CUSTOMER");
        // The body names CUSTOMER, the token another customer: a token for B never redeems for A.
        assertRefused(CALLS.get("redeem voucher").apply(Api.storefront("c-someone-else")), 403, "NOT_YOUR_CUSTOMER");
        for (String refused : new String[]{"create campaign", "list campaigns", "read campaign", "cancel campaign",
                "segment size", "triggers"}) {
            assertRefused(CALLS.get(refused).apply(Api.storefront(CUSTOMER)), 403, "FORBIDDEN");
        }
    }

    private static RequestSpecification marketer() {
        return Api.bearer(Tokens.forTests().token("marketer-1", List.of("marketer")));
    }
}
