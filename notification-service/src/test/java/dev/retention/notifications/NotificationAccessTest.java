package dev.retention.notifications;

import dev.retention.testsupport.Api;
import dev.retention.testsupport.RetentionTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static dev.retention.testsupport.Api.assertAllowed;
import static dev.retention.testsupport.Api.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/** The notification history is for staff; the unsubscribe link needs no token (its signature is the proof). */
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
    }

    @Test
    void theUnsubscribeLinkNeedsNoTokenButAValidSignature() {
        assertThat(Api.anonymous().post("/unsubscribe?token=forged.abc").statusCode()).isEqualTo(400);
        assertThat(Api.anonymous().get("/unsubscribe?token=forged.abc").statusCode()).isNotIn(401, 403);
    }
}
