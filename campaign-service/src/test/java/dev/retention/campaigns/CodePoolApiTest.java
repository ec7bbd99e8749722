package dev.retention.campaigns;

import dev.retention.testsupport.Api;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/** Uploading partner codes: counts, deduplication, validation that never shows a code, roles, gauges. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class CodePoolApiTest {

    @TestHTTPResource(value = "metrics", management = true)
    java.net.URL metrics;

    static RequestSpecification marketer() {
        return Api.bearer(Tokens.forTests().token("marketer-1", List.of("marketer")));
    }

    static JsonPath upload(RequestSpecification as, String poolId, String csv) {
        return as.contentType("text/csv").body(csv).post("/code-pools/{poolId}/codes", poolId).then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void anUploadCountsWhatItAddedAndTheDuplicatesWithinItAndInThePool() {
        String poolId = "pool-" + UUID.randomUUID();
        JsonPath first = upload(marketer(), poolId, "code\r\n A-1 \n\nA-2\nA-1\n\tA-3\n");
        assertThat(first.getInt("added")).isEqualTo(3);
        assertThat(first.getInt("duplicates")).isEqualTo(1);
        assertThat(first.getLong("available")).isEqualTo(3);
        assertThat(first.getString("poolId")).isEqualTo(poolId);

        JsonPath second = upload(Api.admin(), poolId, "A-3\nA-4\nA-4\n");
        assertThat(second.getInt("added")).isEqualTo(1);
        assertThat(second.getInt("duplicates")).isEqualTo(2);
        assertThat(second.getLong("available")).isEqualTo(4);

        JsonPath pool = marketer().get("/code-pools/{poolId}", poolId).then().statusCode(200).extract().jsonPath();
        assertThat(pool.getLong("available")).isEqualTo(4);
        assertThat(pool.getLong("claimed")).isZero();
        assertThat(pool.getInt("lowThreshold")).isEqualTo(10);
        List<String> pools = Api.admin().get("/code-pools").then().statusCode(200).extract().jsonPath()
                .getList("poolId");
        assertThat(pools).contains(poolId);
    }

    @Test
    void aLineThatIsNoCodeIsNamedByItsNumberNeverShown() {
        String poolId = "pool-" + UUID.randomUUID();
        String secret = "SECRET-" + "X".repeat(200);
        var tooLong = marketer().contentType("text/csv").body("code\nOK-1\n" + secret + "\n")
                .post("/code-pools/{poolId}/codes", poolId);
        tooLong.then().statusCode(400).contentType("application/problem+json");
        assertThat(tooLong.jsonPath().getString("violations[0].field")).isEqualTo("line 3");
        assertThat(tooLong.asString()).doesNotContain("SECRET").doesNotContain("OK-1");

        var control = marketer().contentType("text/csv").body("AB\u0007CD-SECRET\n")
                .post("/code-pools/{poolId}/codes", poolId);
        control.then().statusCode(400);
        assertThat(control.jsonPath().getString("violations[0].field")).isEqualTo("line 1");
        assertThat(control.asString()).doesNotContain("CD-SECRET");

        marketer().contentType("text/csv").body("code\n\n").post("/code-pools/{poolId}/codes", poolId).then()
                .statusCode(400);
        // Nothing of a refused upload is kept: the pool does not exist.
        marketer().get("/code-pools/{poolId}", poolId).then().statusCode(404);
        marketer().contentType("text/csv").body("A\n").post("/code-pools/{poolId}/codes", "Not A Pool").then()
                .statusCode(400);
    }

    @Test
    void onlyAdminsAndMarketersSeePools() {
        Api.support().get("/code-pools").then().statusCode(403);
        Api.analyst().contentType("text/csv").body("A-1\n").post("/code-pools/{poolId}/codes", "pool-x").then()
                .statusCode(403);
        Api.anonymous().get("/code-pools").then().statusCode(401);
    }

    @Test
    void theGaugesShowWhatIsLeftAndWhetherThePoolRunsLow() {
        String poolId = "pool-" + UUID.randomUUID();
        marketer().contentType("text/csv").body("G-1\nG-2\nG-3\n").queryParam("lowThreshold", 5)
                .post("/code-pools/{poolId}/codes", poolId).then().statusCode(200);
        assertThat(gauge("retention_code_pool_codes_available", poolId)).isEqualTo(3);
        assertThat(gauge("retention_code_pool_codes_low", poolId)).isEqualTo(1);

        upload(marketer(), poolId, "G-4\nG-5\nG-6\n");
        assertThat(gauge("retention_code_pool_codes_available", poolId)).isEqualTo(6);
        assertThat(gauge("retention_code_pool_codes_low", poolId)).isZero();
    }

    double gauge(String name, String poolId) {
        Matcher m = java.util.regex.Pattern.compile(name + "\\{[^}]*pool=\"" + poolId + "\"[^}]*} (\\S+)")
                .matcher(RestAssured.get(metrics.toString()).asString());
        assertThat(m.find()).as(name + " for " + poolId).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
