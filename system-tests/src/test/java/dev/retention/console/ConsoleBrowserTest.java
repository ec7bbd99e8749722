package dev.retention.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.Topics;
import dev.retention.local.LocalPlatform;
import dev.retention.local.LocalPorts;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestEvents;
import dev.retention.testsupport.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The console in a real browser (Debian's chromium through chromium-driver) against the packaged platform as the
 * local run starts it: a support agent finds a customer and adjusts their points; a marketer drafts and simulates a
 * double-points weekend, an admin publishes it and an order earns double; a reward is redeemed on a customer's behalf;
 * an offer is created after its segment's size is shown; an analyst reads the uplift chart. Every page is held to the
 * accessibility basics and photographed into target/console-screenshots; the roles are checked in the console and
 * at the services.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final String DB_PREFIX = "console_test";
    private static final List<String> DATABASES = List.of("points", "tiers", "campaigns", "notifications", "programme",
            "insights");
    private static final Path STATE = Path.of("target/console-test");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String ANN = "ann-" + RUN;
    private static final String BEN = "ben-" + RUN;

    private static LocalPlatform platform;
    private static KafkaTestClient kafka;
    private static Tokens tokens;
    private static int httpPort;
    private static ConsoleBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        int kafkaPort = LocalPorts.freeRange(1);
        int processes = LocalPlatform.LOCAL_PROCESSES.size();
        httpPort = LocalPorts.freeRange(2 * processes);
        platform = new LocalPlatform(Map.of("root", "..", "state", "system-tests/" + STATE,
                "kafka-port", Integer.toString(kafkaPort), "http-port", Integer.toString(httpPort),
                "management-port", Integer.toString(httpPort + processes),
                "smtp-port", Integer.toString(LocalPorts.freeRange(1)), "db-prefix", DB_PREFIX));
        assertThat(platform.reset()).as("an earlier run's broker data cleared").isZero();
        assertThat(platform.start()).isZero();
        tokens = platform.tokens();
        kafka = new KafkaTestClient("127.0.0.1:" + kafkaPort);
        browser = new ConsoleBrowser("http://localhost:" + platform.consolePort(), "en-GB");
        for (String customer : List.of(ANN, BEN)) {
            kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, LocalDate.of(1990, 5, 17)));
        }
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(ANN).orderId("o-ann-1").line("SKU-1", 1, "40.00").build());
        awaitUntil(() -> points(ANN).path("available").asLong() >= 100
                && ledger(ANN).path("entries").findValuesAsText("orderId").contains("o-ann-1"), "Ann's bonus and order");
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (platform != null) {
            platform.stop();
        }
        try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             var sql = connection.createStatement()) {
            for (String name : DATABASES) {
                sql.execute("DROP DATABASE IF EXISTS " + DB_PREFIX + "_" + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    @Order(1)
    void aSupportAgentFindsACustomerAdjustsTheirPointsAndSeesTheLedgerChange() throws Exception {
        browser.open("/customers");
        assertThat(browser.currentPath()).as("a page without a session goes to the sign-in").startsWith("/sign-in");
        browser.screenshot("00-sign-in");
        browser.assertAccessible();
        browser.signIn("support", "Sam Support");
        browser.screenshot("01-customers-search");
        browser.assertAccessible();
        browser.fill("#customer-id", ANN);
        browser.click("form[role=search] button");
        browser.awaitUrl("/customers/" + ANN);
        long before = number(browser.text("#available-points"));
        assertThat(before).isEqualTo(points(ANN).path("available").asLong());
        // The order's entry, with its rule (the sign-up bonus may be newer: customers and orders are separate topics).
        assertThat(browser.all("#ledger tbody tr").stream().map(WebElement::getText).filter(row -> row.contains("o-ann-1")))
                .anySatisfy(row -> assertThat(row).contains("EARNED_PENDING", "order.base"));

        // A refusal of the service lands at the field it names, and changes nothing.
        browser.fill("#adjust-points", "600");
        browser.fill("#adjust-reason", "more than a support agent may give");
        browser.click("#adjust-form button[type=submit]");
        assertThat(browser.text("#adjust-form .problem")).as("points-service's refusal, shown at the form").isNotBlank();
        assertThat(points(ANN).path("available").asLong()).isEqualTo(before);
        browser.fill("#adjust-points", "twelve");
        browser.fill("#adjust-reason", "a typo");
        browser.click("#adjust-form button[type=submit]");
        browser.awaitText("#adjust-points-error", "integer");
        assertThat(browser.find("#adjust-points").getAttribute("aria-invalid")).isEqualTo("true");

        browser.fill("#adjust-points", "25");
        browser.fill("#adjust-reason", "goodwill for a late answer");
        browser.click("#adjust-form button[type=submit]");
        browser.awaitUrl("done=adjusted");
        assertThat(number(browser.text("#available-points"))).isEqualTo(before + 25);
        String newest = browser.all("#ledger tbody tr").get(0).getText();
        assertThat(newest).contains("ADJUSTED", "+25", "goodwill for a late answer");
        browser.screenshot("02-customer-360");
        browser.assertAccessible();
    }

    @Test
    @Order(2)
    void aMarketerDraftsAndSimulatesADoublePointsWeekendAnAdminPublishesItAndAnOrderEarnsDouble() throws Exception {
        browser.signOut();
        browser.signIn("marketer", "Mia Marketing");
        browser.open("/programme");
        assertThat(browser.present("#rollback-version")).as("a marketer is offered no roll-back").isFalse();
        browser.screenshot("03-programme");
        browser.assertAccessible();
        browser.fill("#draft-note", "Double points this weekend");
        browser.click("#new-draft");
        browser.awaitUrl("/programme/drafts/");
        String draftPath = browser.currentPath();
        assertThat(browser.present("#publish-form")).as("a marketer is offered no publication").isFalse();

        // A violation shows at the field it names.
        browser.click("#section-guards summary");
        String holdoutShare = browser.find("input[name='$.guards.holdoutShare']").getAttribute("value");
        browser.fill("input[name='$.guards.holdoutShare']", "2");
        browser.click("#save-draft");
        browser.awaitText("#editor", "needs attention");
        WebElement invalid = browser.find("input[name='$.guards.holdoutShare']");
        assertThat(invalid.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.text("#" + invalid.getAttribute("id") + "-error")).isNotBlank();
        browser.fill("input[name='$.guards.holdoutShare']", holdoutShare);
        browser.click("#save-draft");
        browser.find("#draft-valid");

        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        browser.set("#rule-from", local(now.minus(1, ChronoUnit.HOURS)));
        browser.set("#rule-until", local(now.plus(2, ChronoUnit.DAYS)));
        browser.click("#add-rule");
        browser.find("#draft-valid");
        browser.screenshot("04-draft-editor");
        browser.assertAccessible();

        browser.click("#simulate");
        browser.find("#simulation-points");
        String rows = browser.text("#simulation-points");
        assertThat(rows).contains("double-points-weekend");
        browser.screenshot("04b-simulation");
        browser.assertAccessible();

        browser.signOut();
        browser.signIn("admin", "Ada Admin");
        browser.open(draftPath);
        int versionBefore = programme().path("latest").path("version").asInt();
        browser.fill("#publish-reason", "Double points this weekend");
        browser.set("#publish-effective", "");
        browser.click("#publish");
        browser.awaitUrl("/programme?done=published");
        awaitUntil(() -> programme().path("inForce").path("version").asInt() == versionBefore + 1,
                "the double-points version in force");
        assertThat(browser.text("#versions")).contains("Double points this weekend", "Ada Admin");
        browser.open("/programme/diff?from=" + versionBefore + "&to=" + (versionBefore + 1));
        assertThat(browser.text("#diff")).contains("$.earning.rules", "double-points-weekend", "MULTIPLIER");
        browser.screenshot("05-programme-diff");
        browser.assertAccessible();

        Thread.sleep(1_000); // the services hear of the version in well under a second
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(BEN).orderId("o-ben-1").line("SKU-2", 1, "40.00").build());
        awaitUntil(() -> ledger(BEN).path("entries").findValuesAsText("orderId").contains("o-ben-1"), "Ben's order");
        browser.open("/customers/" + BEN);
        String entry = browser.all("#ledger tbody tr").stream().map(WebElement::getText)
                .filter(text -> text.contains("o-ben-1")).findFirst().orElseThrow();
        assertThat(entry).contains("double-points-weekend: +40", "order.base: +40", "+80");
    }

    @Test
    @Order(3)
    void aSupportAgentRedeemsARewardOnTheCustomersBehalf() throws Exception {
        adjust(ANN, 400, "enough for a reward");
        browser.signOut();
        browser.signIn("support", "Sam Support");
        browser.open("/customers/" + ANN);
        long before = number(browser.text("#available-points"));
        WebElement freeShipping = browser.all("#rewards tbody tr").stream()
                .filter(row -> row.getText().contains("Free shipping")).findFirst().orElseThrow();
        String button = "#rewards button[aria-label$='Free shipping']";
        assertThat(freeShipping.getText()).contains("300");
        browser.clickAndConfirm(button);
        browser.awaitUrl("done=redeemed");
        assertThat(number(browser.text("#available-points"))).isEqualTo(before - 300);
        assertThat(browser.text("#reward-redemptions")).contains("Free shipping");
        awaitUntil(() -> redemptions(ANN).findValuesAsText("status").contains("ISSUED"), "the reward issued");
        browser.open("/customers/" + ANN);
        assertThat(browser.text("#reward-redemptions")).contains("ISSUED");
    }

    @Test
    @Order(4)
    void aMarketerCreatesASegmentOfferAfterSeeingItsSizeAndUploadsPartnerCodes() throws Exception {
        browser.signOut();
        browser.signIn("marketer", "Mia Marketing");
        browser.open("/campaigns");
        assertThat(browser.text("#segment-fields")).as("the programme's tiers to choose from").contains("bronze", "gold");
        browser.screenshot("06-campaigns");
        browser.assertAccessible();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        browser.fill("#offer-name", "Winter offer " + RUN);
        browser.set("#offer-starts", local(now.plus(1, ChronoUnit.MINUTES)));
        browser.set("#offer-ends", local(now));
        browser.fill("#offer-amount", "5");
        browser.click("#segment-size-button");
        long size = number(browser.text("#segment-size-count"));
        assertThat(size).isEqualTo(segmentSize());
        browser.click("#create-offer");
        browser.find("#offer-ends-error");
        assertThat(browser.find("#offer-ends").getAttribute("aria-invalid")).as("an end before the start, at its field")
                .isEqualTo("true");
        browser.set("#offer-ends", local(now.plus(7, ChronoUnit.DAYS)));
        browser.click("#create-offer");
        browser.awaitUrl("done=created");
        assertThat(browser.text("#campaigns")).contains("Winter offer " + RUN, "ACTIVE");
        browser.clickAndConfirm("#campaigns button[aria-label$='Winter offer " + RUN + "']");
        browser.awaitUrl("done=cancelled");
        assertThat(browser.text("#campaigns")).contains("CANCELLED");

        browser.open("/rewards");
        Path codes = Files.createTempFile("partner-codes", ".csv");
        Files.writeString(codes, "code\nTICKET-1\nTICKET-2\nTICKET-2\nTICKET-3\n");
        browser.fill("#pool-id", "concert-" + RUN);
        browser.find("#pool-codes").sendKeys(codes.toAbsolutePath().toString());
        browser.click("#upload-form button[type=submit]");
        browser.awaitText("#upload-result", "3");
        assertThat(browser.text("#upload-result")).contains("3 added", "1 duplicates");
        browser.open("/rewards");
        assertThat(browser.text("#pools")).contains("concert-" + RUN);
        assertThat(browser.text("#catalogue")).contains("Free shipping", "Full-size beauty set", "Voucher");
        browser.screenshot("07-rewards");
        browser.assertAccessible();
    }

    @Test
    @Order(5)
    void anAnalystReadsTheUpliftChartAsInsightsMeasuredIt() throws Exception {
        publishHoldoutShare("0.5");
        // 260 customers with marketing consent order once (a referral invitation, or held out for half of them), and
        // every second one orders again: both arms get past insights-service's 100 exposures.
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 260; i++) {
            String customer = "shopper-" + RUN + "-" + i;
            customers.add(customer);
            kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, LocalDate.of(1985, 1, 1 + i % 28)));
        }
        for (int i = 0; i < customers.size(); i++) {
            kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customers.get(i)).orderId("first-" + i)
                    .line("SKU-1", 1, "30.00").build());
        }
        awaitUntil(() -> exposures("referral-invitation") >= 260, Duration.ofSeconds(180), "260 referral invitations measured");
        for (int i = 0; i < customers.size(); i += 2) {
            kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customers.get(i)).orderId("again-" + i)
                    .line("SKU-3", 1, "20.00").build());
        }
        awaitUntil(() -> upliftRow("referral-invitation").path("conversionUplift").isObject()
                && converted("referral-invitation") >= 130, Duration.ofSeconds(180), "the uplift with its interval");

        browser.signOut();
        browser.signIn("analyst", "Ali Analyst");
        assertThat(browser.present("header nav a[href='/customers']")).as("an analyst sees no customers").isFalse();
        browser.open("/insights");
        JsonNode measured = upliftRow("referral-invitation").path("conversionUplift");
        WebElement row = browser.find("#uplift-chart g.row[data-label='referral-invitation']");
        assertThat(Double.parseDouble(row.getAttribute("data-estimate"))).isCloseTo(measured.path("estimate").asDouble(), within(1e-6));
        assertThat(Double.parseDouble(row.getAttribute("data-low"))).isCloseTo(measured.path("low").asDouble(), within(1e-6));
        assertThat(Double.parseDouble(row.getAttribute("data-high"))).isCloseTo(measured.path("high").asDouble(), within(1e-6));
        assertThat(browser.text("#uplift")).contains("referral-invitation");
        assertThat(browser.all("#cohorts tbody tr")).isNotEmpty();
        browser.screenshot("08-insights");
        browser.assertAccessible();
    }

    @Test
    @Order(6)
    void rolesHoldInTheConsoleAndAtTheServices() throws Exception {
        // An analyst may not adjust points: the console offers no form, and a forged request is refused by the service.
        browser.open("/customers/" + ANN);
        assertThat(browser.present("#adjust-form")).isFalse();
        assertThat(browser.text("main")).contains("Forbidden");
        Object status = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const csrf = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];
                fetch('/customers/' + arguments[0] + '/adjustments', {method: 'POST', headers: {'X-CSRF-Token': csrf,
                  'Content-Type': 'application/x-www-form-urlencoded'}, body: 'points=10&reason=forged&idempotencyKey=k1'})
                  .then(r => done(r.status));""", ANN);
        assertThat(((Number) status).intValue()).as("the console passes on points-service's refusal").isEqualTo(403);
        assertThat(api("POST", port("points-service"), "/customers/" + ANN + "/points/adjustments",
                tokens.token("ali", List.of("analyst")), "{\"points\": 10, \"reason\": \"forged\"}",
                Map.of("Idempotency-Key", "k2")).statusCode()).isEqualTo(403);

        // A support agent sees no programme and cannot publish: the console shows the service's refusal, the API says so.
        browser.signOut();
        browser.signIn("support", "Sam Support");
        assertThat(browser.present("header nav a[href='/programme']")).isFalse();
        browser.open("/programme");
        assertThat(browser.text("main")).contains("Forbidden");
        assertThat(browser.present("#new-draft")).isFalse();
        assertThat(api("POST", port("programme-service"), "/programmes/default/rollbacks", tokens.support(),
                "{\"toVersion\": 1, \"reason\": \"not allowed\"}", Map.of()).statusCode()).isEqualTo(403);
        // A state change without the page's CSRF token is refused by the console before any service sees it.
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + platform.consolePort()
                        + "/customers/" + ANN + "/adjustments")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "console_session=" + tokens.support())
                .POST(HttpRequest.BodyPublishers.ofString("points=10&reason=csrf")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);
    }

    @Test
    @Order(7)
    void aGermanBrowserGetsGermanTextsNumbersAndDates() throws Exception {
        try (ConsoleBrowser german = new ConsoleBrowser("http://localhost:" + platform.consolePort(), "de-DE")) {
            german.signIn("admin", "Ada Admin");
            german.open("/customers/" + ANN);
            assertThat(german.find("html").getAttribute("lang")).isEqualTo("de");
            assertThat(german.text("header nav")).contains("Kunden", "Programm", "Auswertungen");
            assertThat(german.text("#balance-heading")).isEqualTo("Punkte");
            // German dates name the month in German and write day, month, year; numbers group with a dot.
            assertThat(german.text("#ledger tbody tr td")).containsPattern("\\d{1,2}\\.\\d{1,2}\\.\\d{4}|\\d{1,2}\\. [A-ZÄÖÜ][a-zäöü]+\\.? \\d{4}");
            german.screenshot("09-customer-360-de");
            german.assertAccessible();
            german.open("/insights");
            german.screenshot("10-insights-de");
            german.assertAccessible();
        }
    }

    @Test
    @Order(8)
    void anAdminErasesACustomerOnlyAfterTypingTheirId() throws Exception {
        String cat = "cat-" + RUN;
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(cat, LocalDate.of(1979, 3, 3)));
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(cat).orderId("o-cat-1").line("SKU-1", 1, "25.00").build());
        awaitUntil(() -> ledger(cat).path("entries").findValuesAsText("orderId").contains("o-cat-1"), "Cat's order");
        browser.signOut();
        browser.signIn("admin", "Ada Admin");
        browser.open("/customers/" + cat);
        browser.fill("#erase-confirm", ANN);
        browser.fill("#erase-reason", "ticket 4711");
        browser.click("#erase-form button[type=submit]");
        browser.find("#erase-confirm-error");
        assertThat(browser.find("#erase-confirm").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(points(ANN).path("available").asLong()).as("nobody erased").isPositive();

        browser.fill("#erase-confirm", cat);
        browser.click("#erase-form button[type=submit]");
        browser.awaitUrl("done=erasure");
        // points-service keeps the ledger's numbers under a pseudonym: the customer id no longer leads to them.
        awaitUntil(() -> api("GET", port("points-service"), "/customers/" + cat + "/points", tokens.admin(), null,
                Map.of()).statusCode() == 404, "the customer erased in points-service");
        assertThat(points(ANN).path("available").asLong()).as("another customer untouched").isPositive();
    }

    // ---- the platform's side, read through its APIs ----

    private static int port(String service) {
        return httpPort + LocalPlatform.LOCAL_PROCESSES.indexOf(service);
    }

    private static JsonNode points(String customer) throws Exception {
        return get(port("points-service"), "/customers/" + customer + "/points", tokens.admin());
    }

    private static JsonNode ledger(String customer) throws Exception {
        return get(port("points-service"), "/customers/" + customer + "/points/ledger", tokens.admin());
    }

    private static JsonNode redemptions(String customer) throws Exception {
        return get(port("points-service"), "/customers/" + customer + "/reward-redemptions", tokens.admin());
    }

    private static JsonNode programme() throws Exception {
        return get(port("programme-service"), "/programmes/default", tokens.admin());
    }

    private static long segmentSize() throws Exception {
        HttpResponse<String> answer = api("POST", port("campaign-service"), "/segment-sizes", tokens.admin(),
                "{\"segment\": {}}", Map.of());
        return JSON.readTree(answer.body()).path("customers").asLong();
    }

    private static JsonNode upliftRow(String triggerType) throws Exception {
        for (JsonNode row : get(port("insights-service"), "/insights/uplift", tokens.analyst()).path("rows")) {
            if (row.path("triggerType").asText().equals(triggerType)) {
                return row;
            }
        }
        return JSON.createObjectNode();
    }

    private static long exposures(String triggerType) throws Exception {
        JsonNode row = upliftRow(triggerType);
        return row.path("treated").path("exposures").asLong() + row.path("heldOut").path("exposures").asLong();
    }

    private static long converted(String triggerType) throws Exception {
        JsonNode row = upliftRow(triggerType);
        return row.path("treated").path("converted").asLong() + row.path("heldOut").path("converted").asLong();
    }

    private static void adjust(String customer, long points, String reason) throws Exception {
        assertThat(api("POST", port("points-service"), "/customers/" + customer + "/points/adjustments", tokens.admin(),
                "{\"points\": " + points + ", \"reason\": \"" + reason + "\"}",
                Map.of("Idempotency-Key", UUID.randomUUID().toString())).statusCode()).isEqualTo(201);
    }

    /** Publishes the programme in force with another holdout share, effective in three seconds. */
    private static void publishHoldoutShare(String share) throws Exception {
        JsonNode document = programme().path("inForce").path("document").deepCopy();
        ((ObjectNode) document.path("guards")).put("holdoutShare", share);
        ObjectNode draft = JSON.createObjectNode().put("note", "holdout for the uplift chart");
        draft.set("document", document);
        HttpResponse<String> created = api("POST", port("programme-service"), "/programmes/default/drafts",
                tokens.admin(), draft.toString(), Map.of());
        assertThat(created.statusCode()).isEqualTo(201);
        int version = programme().path("latest").path("version").asInt();
        HttpResponse<String> published = api("POST", port("programme-service"), "/drafts/"
                        + JSON.readTree(created.body()).path("id").asText() + "/publication", tokens.admin(),
                "{\"reason\": \"a holdout group to measure uplift\"}", Map.of());
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        awaitUntil(() -> programme().path("inForce").path("version").asInt() == version + 1, "the holdout in force");
        Thread.sleep(1_000);
    }

    private static JsonNode get(int port, String path, String token) throws Exception {
        HttpResponse<String> answer = api("GET", port, path, token, null, Map.of());
        return answer.statusCode() == 200 ? JSON.readTree(answer.body()) : JSON.createObjectNode();
    }

    private static HttpResponse<String> api(String method, int port, String path, String token, String body,
                                            Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String local(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    /** A number as the page shows it in English (1,234), as a long. */
    private static long number(String shown) {
        return Long.parseLong(shown.replaceAll("[^0-9−-]", "").replace('−', '-'));
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Check check, String what) throws Exception {
        awaitUntil(check, Duration.ofSeconds(60), what);
    }

    private static void awaitUntil(Check check, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; logs in "
                        + STATE.resolve("logs").toAbsolutePath());
            }
            Thread.sleep(500);
        }
    }
}
