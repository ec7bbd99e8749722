package dev.retention.testsupport;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * REST Assured requests with the test JVM's tokens ({@code Api.admin().get("/tiers")}), and the assertions of the
 * services' access tests. A request specification serves one call. Every answer is held to the service's own API
 * description ({@link ApiContract}).
 */
public final class Api {

    private static final Tokens TOKENS = Tokens.forTests();

    private Api() {
    }

    public static RequestSpecification admin() {
        return bearer(TOKENS.admin());
    }

    public static RequestSpecification support() {
        return bearer(TOKENS.support());
    }

    public static RequestSpecification analyst() {
        return bearer(TOKENS.analyst());
    }

    public static RequestSpecification storefront(String customerId) {
        return bearer(TOKENS.storefront(customerId));
    }

    public static RequestSpecification anonymous() {
        return RestAssured.given().filter(ApiContract.INSTANCE);
    }

    public static RequestSpecification bearer(String token) {
        return anonymous().header("Authorization", "Bearer " + token);
    }

    /** The call got past authentication and authorization (whatever it answered then, e.g. 404). */
    public static void assertAllowed(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isNotIn(401, 403);
    }

    /** Refused with this status and problem+json code. */
    public static void assertRefused(Response response, int status, String code) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("code")).isEqualTo(code);
    }

    /** Anonymous, garbage, wrong issuer, expired and foreign-key tokens: each must be answered 401. */
    public static List<Supplier<RequestSpecification>> invalidCredentials() {
        Tokens stranger = Tokens.in(Path.of("target", "stranger-keys"), Tokens.TEST_ISSUER);
        return List.of(Api::anonymous,
                () -> bearer("not-a-jwt"),
                () -> bearer(TOKENS.token("admin-1", List.of("admin"), "https://someone-else.example", Duration.ofHours(1))),
                () -> bearer(TOKENS.token("admin-1", List.of("admin"), Tokens.TEST_ISSUER, Duration.ofHours(-1))),
                () -> bearer(stranger.admin()));
    }

    public static void assertUnauthenticated(Response response) {
        assertRefused(response, 401, "UNAUTHENTICATED");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }
}
