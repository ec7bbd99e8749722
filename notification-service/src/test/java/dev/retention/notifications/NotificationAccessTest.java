package dev.retention.notifications;

import dev.retention.testsupport.Api;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.retention.testsupport.Api.assertAllowed;
import static dev.retention.testsupport.Api.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notification history is for staff; erasing a customer for admins alone; the unsubscribe link needs no token (its
 * signature is the proof).
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class NotificationAccessTest {

    private static final String HISTORY = "/customers/c-access-1/notifications";

    @Test
    void staffReadTheHistoryNobodyElseDoes() {
        Api.invalidCredentials().forEach(spec -> Api.assertUnauthenticated(spec.get().get(HISTORY)));
        assertAllowed(Api.admin().get(HISTORY));
        assertAllowed(Api.support().get(HISTORY));
        assertRefused(Api.analyst().get(HISTORY), 403, "FORBIDDEN");
        assertRefused(Api.storefront("c-access-1").get(HISTORY), 403, "FORBIDDEN");
        assertRefused(marketer().get(HISTORY), 403, "FORBIDDEN");
    }

    @Test
    void onlyAnAdminMayEraseACustomer() {
        String customer = "c-access-erasure-" + UUID.randomUUID();
        String erasure = "/customers/" + customer + "/erasure";
        String body = "{\"confirmCustomerId\":\"" + customer + "\",\"reason\":\"ticket 4711\"}";
        Api.invalidCredentials().forEach(spec -> Api.assertUnauthenticated(spec.get().contentType("application/json")
                .body(body).post(erasure)));
        assertRefused(Api.support().contentType("application/json").body(body).post(erasure), 403, "FORBIDDEN");
        assertRefused(Api.analyst().contentType("application/json").body(body).post(erasure), 403, "FORBIDDEN");
        assertRefused(Api.storefront(customer).contentType("application/json").body(body).post(erasure), 403,
                "FORBIDDEN");
        assertRefused(marketer().contentType("application/json").body(body).post(erasure), 403, "FORBIDDEN");
        // Refused before anything was recorded: the admin's request is the first, and is answered 202.
        assertThat(Api.admin().contentType("application/json").body(body).post(erasure).statusCode()).isEqualTo(202);
    }

    @Test
    void theUnsubscribeLinkNeedsNoTokenButAValidSignature() {
        assertThat(Api.anonymous().post("/unsubscribe?token=forged.abc").statusCode()).isEqualTo(400);
        assertThat(Api.anonymous().get("/unsubscribe?token=forged.abc").statusCode()).isNotIn(401, 403);
    }

    private static io.restassured.specification.RequestSpecification marketer() {
        return Api.bearer(Tokens.forTests().token("marketer-1", List.of("marketer")));
    }
}
