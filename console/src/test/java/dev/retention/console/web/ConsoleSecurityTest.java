package dev.retention.console.web;

import dev.retention.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console as a browser meets it, with no service running: sign-in and its CSRF check, which tokens count as signed
 * in, the security headers on pages and static files, the user's language, a service that does not answer, and a log
 * that keeps customers' ids and tokens out.
 */
@QuarkusTest
@TestProfile(ConsoleSecurityTest.NoServices.class)
class ConsoleSecurityTest {

    static final Path LOG_FILE = Path.of("target", "console-test-" + ProcessHandle.current().pid() + ".log");
    private static final String CUSTOMER_ID = "cust-7f3a9c-private";

    /** Verifies the test issuer's tokens, signs in locally with its key, and points every service at a closed port. */
    public static class NoServices implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Tokens tokens = Tokens.forTests();
            Map<String, String> config = new HashMap<>(tokens.serviceConfig());
            config.put("console.local-issuer.keys", tokens.publicKeyFile().getParent().toString());
            String closed = "http://127.0.0.1:" + closedPort();
            for (String service : List.of("points", "tiers", "campaigns", "notifications", "programme", "insights")) {
                config.put("console.services." + service, closed);
            }
            config.put("console.services.timeout", "3s");
            config.put("quarkus.log.file.enabled", "true");
            config.put("quarkus.log.file.path", LOG_FILE.toString());
            return config;
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static RequestSpecification browser() {
        return RestAssured.given().redirects().follow(false);
    }

    private static String support() {
        return Tokens.forTests().token("support-7", List.of("support"));
    }

    @Test
    void aPageWithoutASessionRedirectsToTheSignIn() {
        Response page = browser().get("/customers");

        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.header("Location")).endsWith("/sign-in");

        // htmx follows a redirect itself only when told in a header.
        Response fragment = browser().header("HX-Request", "true").get("/customers/" + CUSTOMER_ID);
        assertThat(fragment.statusCode()).isEqualTo(200);
        assertThat(fragment.header("HX-Redirect")).isEqualTo("/sign-in");
    }

    @Test
    void pagesAndStaticFilesCarryTheSecurityHeaders() {
        Map<String, Response> answers = Map.of(
                "sign-in page", browser().get("/sign-in"),
                "customer page", browser().header("Authorization", "Bearer " + support()).get("/customers"),
                "redirect", browser().get("/programme"),
                "stylesheet", browser().get("/static/console.css"),
                "htmx", browser().get("/webjars/htmx.org/2.0.4/dist/htmx.min.js"));

        answers.forEach((what, answer) -> {
            String csp = answer.header("Content-Security-Policy");
            assertThat(csp).as(what + ": Content-Security-Policy").isNotNull()
                    .contains("script-src 'self'").contains("default-src 'none'").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(answer.header("X-Frame-Options")).as(what).isEqualTo("DENY");
            assertThat(answer.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
            assertThat(answer.header("Referrer-Policy")).as(what).isEqualTo("no-referrer");
        });
        assertThat(answers.get("sign-in page").statusCode()).isEqualTo(200);
        assertThat(answers.get("customer page").statusCode()).isEqualTo(200);
        assertThat(answers.get("customer page").header("Cache-Control")).isEqualTo("no-store");
        // The sign-in page's own stylesheet and script load without a session.
        assertThat(answers.get("stylesheet").statusCode()).isEqualTo(200);
        assertThat(answers.get("stylesheet").contentType()).startsWith("text/css");
        assertThat(answers.get("htmx").statusCode()).isEqualTo(200);
        assertThat(answers.get("htmx").body().asString()).contains("htmx");
    }

    @Test
    void signingInNeedsThePagesCsrfToken() {
        Response signInPage = browser().get("/sign-in");
        String csrf = signInPage.getCookie("console_csrf");
        assertThat(csrf).hasSizeGreaterThanOrEqualTo(32);
        assertThat(signInPage.body().asString()).contains(csrf);

        Response withoutHeader = signIn(csrf, null, null);
        Response wrongHeader = signIn(csrf, "x".repeat(43), null);
        Response crossSite = signIn(csrf, csrf, "cross-site");
        Response withoutCookie = browser().header("X-CSRF-Token", csrf).formParam("role", "support").post("/sign-in");

        assertThat(withoutHeader.statusCode()).isEqualTo(403);
        assertThat(wrongHeader.statusCode()).isEqualTo(403);
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(withoutCookie.statusCode()).isEqualTo(403);
        for (Response refused : List.of(withoutHeader, wrongHeader, crossSite, withoutCookie)) {
            assertThat(refused.getCookie("console_session")).isNull();
        }

        Response signedIn = signIn(csrf, csrf, "same-origin");

        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(signedIn.header("HX-Redirect")).isEqualTo("/");
        String setCookie = signedIn.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("console_session=")).findFirst().orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict")
                .containsIgnoringCase("Path=/");
        String session = signedIn.getCookie("console_session");

        // The cookie signs the user in: the support user's customer search, with their name.
        Response page = browser().cookie("console_session", session).get("/customers");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().asString()).contains("support-desk-1").contains("Sign out");
    }

    private static Response signIn(String csrfCookie, String csrfHeader, String fetchSite) {
        RequestSpecification request = browser().cookie("console_csrf", csrfCookie)
                .formParam("role", "support").formParam("name", "support-desk-1");
        if (csrfHeader != null) {
            request.header("X-CSRF-Token", csrfHeader);
        }
        if (fetchSite != null) {
            request.header("Sec-Fetch-Site", fetchSite);
        }
        return request.post("/sign-in");
    }

    @Test
    void aSignInWithAnUnknownRoleIsRefused() {
        String csrf = browser().get("/sign-in").getCookie("console_csrf");

        Response answer = browser().cookie("console_csrf", csrf).header("X-CSRF-Token", csrf)
                .formParam("role", "root").post("/sign-in");

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.getCookie("console_session")).isNull();
    }

    @Test
    void expiredForeignAndForgedTokensCountAsSignedOut() {
        Tokens tokens = Tokens.forTests();
        String expired = tokens.token("support-7", List.of("support"), tokens.issuer(), Duration.ofHours(-2));
        String otherIssuer = tokens.token("support-7", List.of("support"), "https://issuer.elsewhere.example", Duration.ofHours(1));
        String otherKey = Tokens.in(otherKeyDirectory(), tokens.issuer()).token("support-7", List.of("support"));

        for (String token : List.of(expired, otherIssuer, otherKey, "not.a.token", support() + "x")) {
            assertThat(browser().cookie("console_session", token).get("/customers").statusCode()).as(token).isEqualTo(303);
            assertThat(browser().header("Authorization", "Bearer " + token).get("/customers").statusCode()).as(token).isEqualTo(303);
            assertThat(browser().header("X-Forwarded-Access-Token", token).get("/customers").statusCode()).as(token).isEqualTo(303);
        }
    }

    private static Path otherKeyDirectory() {
        try {
            Path parent = Files.createTempDirectory("console-other-key");
            return parent.resolve("keys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aValidTokenFromTheProxyOrABearerHeaderSignsInWithoutACookie() {
        Response proxied = browser().header("X-Forwarded-Access-Token", support()).get("/customers");
        Response bearer = browser().header("Authorization", "Bearer " + support()).get("/customers");

        for (Response page : List.of(proxied, bearer)) {
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body().asString()).contains("support-7").contains("href=\"/customers\"");
        }
        // Only the pages the role may use are offered.
        assertThat(bearer.body().asString()).doesNotContain("href=\"/insights\"").doesNotContain("href=\"/programme\"");
    }

    @Test
    void aGermanBrowserGetsGermanPages() {
        Response page = browser().header("Authorization", "Bearer " + support())
                .header("Accept-Language", "de-DE,de;q=0.9,en;q=0.5").get("/customers");

        String html = page.body().asString();
        assertThat(html).contains("<html lang=\"de\">").contains(">Kunden<").contains("Abmelden")
                .doesNotContain(">Customers<");
        Response english = browser().header("Authorization", "Bearer " + support())
                .header("Accept-Language", "fr-FR,en-GB;q=0.8").get("/customers");
        assertThat(english.body().asString()).contains("<html lang=\"en\">").contains(">Customers<");
    }

    @Test
    void aServiceThatDoesNotAnswerIsNamedOnThePage() {
        Response page = browser().header("Authorization", "Bearer " + support()).get("/customers/" + CUSTOMER_ID);

        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body().asString();
        assertThat(html).contains("points-service did not answer").contains("tier-service did not answer")
                .contains("campaign-service did not answer").contains("notification-service did not answer")
                .contains("role=\"alert\"");
    }

    @Test
    void theLogNeverHoldsACustomersIdOrAToken() throws IOException {
        String token = Tokens.forTests().token("support-9", List.of("support"));
        String expired = Tokens.forTests().token("support-9", List.of("support"), Tokens.TEST_ISSUER, Duration.ofHours(-2));

        browser().header("Authorization", "Bearer " + token).get("/customers/" + CUSTOMER_ID);
        browser().header("Authorization", "Bearer " + token).get("/customers/" + CUSTOMER_ID + "?before=12");
        browser().header("Authorization", "Bearer " + token).get("/customers?id=" + CUSTOMER_ID);
        String csrf = browser().get("/sign-in").getCookie("console_csrf");
        browser().header("Authorization", "Bearer " + token).cookie("console_csrf", csrf).header("X-CSRF-Token", csrf)
                .formParam("points", "50").formParam("reason", "goodwill").post("/customers/" + CUSTOMER_ID + "/adjustments");
        browser().header("Authorization", "Bearer " + token).post("/customers/" + CUSTOMER_ID + "/erasure");
        browser().header("Authorization", "Bearer " + expired).get("/customers/" + CUSTOMER_ID);
        browser().cookie("console_session", token + "x").get("/customers/" + CUSTOMER_ID);

        assertThat(LOG_FILE).exists();
        String log = Files.readString(LOG_FILE);
        // The calls did happen and were logged, by service and status only.
        assertThat(log).contains("points-service GET: no answer (ConnectException)")
                .contains("refused a POST to /customers/… without the page's CSRF token");
        assertThat(log).doesNotContain(CUSTOMER_ID);
        assertThat(log).doesNotContain(token).doesNotContain(expired);
        assertThat(log).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }

    @Test
    void signingOutClearsTheSessionCookieAndNeedsTheCsrfToken() {
        String csrf = browser().get("/sign-in").getCookie("console_csrf");

        Response forged = browser().header("Authorization", "Bearer " + support()).post("/sign-out");
        Response signedOut = browser().header("Authorization", "Bearer " + support()).cookie("console_csrf", csrf)
                .header("X-CSRF-Token", csrf).post("/sign-out");

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(signedOut.statusCode()).isEqualTo(200);
        assertThat(signedOut.header("HX-Redirect")).isEqualTo("/sign-in");
        String cleared = signedOut.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("console_session=")).findFirst().orElseThrow();
        assertThat(cleared).containsIgnoringCase("Max-Age=0").containsIgnoringCase("HttpOnly");
    }

    @Test
    void aCustomerIdWithMarkupIsShownAsTextAndCarriedEncoded() {
        String hostile = "<script>alert(1)</script>";

        Response page = browser().header("Authorization", "Bearer " + support())
                .urlEncodingEnabled(true).get("/customers/{id}", hostile);
        Response search = browser().header("Authorization", "Bearer " + support())
                .queryParam("id", " a/b c ").get("/customers");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().asString()).doesNotContain(hostile).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(search.statusCode()).isEqualTo(303);
        assertThat(search.header("Location")).endsWith("/customers/a%2Fb%20c");
    }
}
