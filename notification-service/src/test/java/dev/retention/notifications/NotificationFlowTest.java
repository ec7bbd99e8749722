package dev.retention.notifications;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.CartContents;
import dev.retention.contracts.events.CartLine;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.IssuedReward;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.ProductUpdated;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.events.Voucher;
import dev.retention.notifications.application.DispatchDueNotifications;
import dev.retention.notifications.domain.WebhookSignature;
import dev.retention.notifications.persistence.NotificationStore;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Triggers in, mail through a real SMTP server and webhooks to a real HTTP server, outcomes out. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MailAndWebhookServers.class, restrictToAnnotatedClass = true)
class NotificationFlowTest {

    private static KafkaTestClient kafka;

    @Inject
    MovableClock clock;
    @Inject
    DispatchDueNotifications dispatcher;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;
    @Inject
    NotificationStore store;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.RETENTION_TRIGGERS, Topics.CUSTOMERS, Topics.RETENTION_NOTIFICATIONS,
                Topics.PRODUCTS);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aDelayApologyIsMailedInTheCustomersLanguageWithTheVoucherAndNoMarketingConsent() throws Exception {
        String customer = customer("de-DE", daytimeZone(), ChannelConsents.none());
        // 11:00 UTC is still the 24th in every offset a daytime zone can have (-11:00 to +12:00); noon was the
        // 25th at +12:00, so this test failed between midnight and one o'clock UTC.
        TriggerFired apology = trigger(TriggerType.DELAY_APOLOGY, "ord-1", new Voucher("SORRY-AB23-CD45-EF67",
                Money.of("10.00", "EUR"), null, null, true, null, Instant.parse("2026-12-24T11:00:00Z")),
                Map.of("firstTimeCustomer", "true"));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, apology));

        MimeMessage mail = awaitMail(customer);
        assertThat(mail.getSubject()).isEqualTo("Entschuldigung: Ihr Paket verspätet sich");
        String text = text(mail).replace('\u00a0', ' '); // CLDR puts a no-break space before the euro sign
        assertThat(text).contains("Hallo Alex,", "ord-1", "erste Bestellung", "SORRY-AB23-CD45-EF67",
                "10,00 €", "kostenlosem Versand", "24. Dezember 2026");
        assertThat(mail.getHeader("List-Unsubscribe")).isNull();
        assertThat(part(mail.getContent(), "text/html")).contains("<p>Hallo Alex,</p>", "SORRY-AB23-CD45-EF67");
        assertThat(mail.getHeader("Message-ID")[0]).contains("@notifications.retention");

        NotificationOutcome sent = awaitOutcome(customer, NotificationOutcome.Outcome.SENT);
        assertThat(sent.triggerId()).isEqualTo(apology.triggerId());
        assertThat(sent.channel()).isEqualTo("email");
        assertThat(sent.locale()).isEqualTo("de"); // the language of the templates used
        assertThat(rawOutcomes(customer)).doesNotContain(customer + "@example.com", "Alex");
    }

    @Test
    void aVoucherRewardIsMailedInGermanWithItsNamePointsCodeAndTerms() throws Exception {
        String customer = customer("de-DE", daytimeZone(), ChannelConsents.none());
        TriggerFired reward = reward(new Voucher("REWARD-AB23-CD45-EF67", null, new BigDecimal("15"), null, false,
                Money.of("30.00", "EUR"), Instant.parse("2026-12-24T11:00:00Z"), Money.of("25.00", "EUR")),
                new IssuedReward(UUID.randomUUID().toString(), "fifteen-off", "15 % auf alles", 1500, null, null));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, reward));

        MimeMessage mail = awaitMail(customer);
        assertThat(mail.getSubject()).isEqualTo("Ihre Prämie: 15 % auf alles");
        String text = text(mail).replace('\u00a0', ' ');
        assertThat(text).contains("Hallo Alex,", "1.500 Punkte für 15 % auf alles", "REWARD-AB23-CD45-EF67",
                "15 % Rabatt (höchstens 25,00 €)", "ab einem Bestellwert von 30,00 €", "24. Dezember 2026");
        assertThat(text).doesNotContain("Ihr Code:", "null");
        // A service message: sent without marketing consent, and without an unsubscribe link.
        assertThat(mail.getHeader("List-Unsubscribe")).isNull();
        assertThat(awaitOutcome(customer, NotificationOutcome.Outcome.SENT).triggerId()).isEqualTo(reward.triggerId());
    }

    @Test
    void aPartnerRewardIsMailedInEnglishWithThePartnersCodeAndText() throws Exception {
        String customer = customer("en-GB", daytimeZone(), ChannelConsents.none());
        TriggerFired reward = reward(null, new IssuedReward(UUID.randomUUID().toString(), "tickets",
                "Two concert tickets", 2000, "PARTNER-TICKET-0042", "Show the code at the box office."));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, reward));

        MimeMessage mail = awaitMail(customer);
        assertThat(mail.getSubject()).isEqualTo("Your reward: Two concert tickets");
        String text = text(mail);
        assertThat(text).contains("Hello Alex,", "2,000 points for Two concert tickets",
                "Your code: PARTNER-TICKET-0042", "Show the code at the box office.");
        assertThat(text).doesNotContain("voucher code", "null");
        assertThat(part(mail.getContent(), "text/html")).contains("PARTNER-TICKET-0042");
        awaitOutcome(customer, NotificationOutcome.Outcome.SENT);
        assertThat(rawOutcomes(customer)).doesNotContain("PARTNER-TICKET-0042");
    }

    @Test
    void aFreeShippingRewardSaysFreeShipping() throws Exception {
        String customer = customer("en-GB", daytimeZone(), ChannelConsents.none());
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, reward(new Voucher(
                "REWARD-SH23-CD45-EF67", null, null, null, true, null, Instant.parse("2026-12-24T11:00:00Z")),
                new IssuedReward(UUID.randomUUID().toString(), "free-shipping", "Free shipping", 300, null, null))));

        String text = text(awaitMail(customer));
        assertThat(text).contains("REWARD-SH23-CD45-EF67", "Free shipping. Valid until 24 December 2026.")
                .doesNotContain("gift", "null", ", with free shipping");
    }

    @Test
    void aCustomerWhoseRegistrationNamedOnlySomeChannelsGetsTheirApology() throws Exception {
        String customer = "c-" + UUID.randomUUID();
        // As a shop wrote it (issue 30): the registration was dead-lettered, the apology held CONTACT_UNKNOWN.
        kafka.send(Topics.CUSTOMERS, customer, TestEvents.structuredJson(customer, "customer.registered", """
                {"registeredAt":"%s","email":"%s@example.com","firstName":"Alex","locale":"en-GB",
                 "timeZone":"%s","consents":{"email":true}}""".formatted(Instant.now(), customer, daytimeZone())),
                Map.of());
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, trigger(TriggerType.DELAY_APOLOGY,
                "ord-7", new Voucher("SORRY-ZZ23-CD45-EF67", Money.of("5.00", "EUR"), null, null, false, null,
                        Instant.parse("2026-12-24T11:00:00Z")), Map.of())));

        MimeMessage mail = awaitMail(customer);
        assertThat(text(mail)).contains("Alex", "ord-7", "SORRY-ZZ23-CD45-EF67");
        awaitOutcome(customer, NotificationOutcome.Outcome.SENT);
    }

    @Test
    void marketingNeedsConsentAndItsUnsubscribeLinkWorksInOneClick() throws Exception {
        String consenting = customer("en-GB", daytimeZone(), new ChannelConsents(true, false, false, false));
        String silent = customer("en-GB", daytimeZone(), ChannelConsents.none());
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(consenting, birthday()));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(silent, birthday()));

        MimeMessage mail = awaitMail(consenting);
        assertThat(mail.getSubject()).isEqualTo("Happy birthday from us");
        assertThat(text(mail)).contains("15 % off", "£20.00");
        assertThat(mail.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        URI link = URI.create(mail.getHeader("List-Unsubscribe")[0].replaceAll("[<>]", ""));
        assertThat(awaitOutcome(silent, NotificationOutcome.Outcome.SUPPRESSED).reason()).isEqualTo("NO_CONSENT");

        String path = link.getPath() + "?" + link.getRawQuery();
        var page = RestAssured.get(path);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().asString()).contains("<form method=\"post\"", "document.forms[0].submit()");
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(consenting, birthday()));
        await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo(consenting).size() == 2); // a GET changed nothing
        assertThat(RestAssured.post(path).statusCode()).isEqualTo(200);
        assertThat(RestAssured.post("/unsubscribe?token=forged." + UUID.randomUUID()).statusCode()).isEqualTo(400);

        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(consenting, birthday()));
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes(consenting).stream()
                .anyMatch(o -> o.outcome() == NotificationOutcome.Outcome.SUPPRESSED));
        assertThat(outcomes(consenting)).filteredOn(o -> o.outcome() == NotificationOutcome.Outcome.SUPPRESSED)
                .extracting(NotificationOutcome::reason).containsExactly("UNSUBSCRIBED");
        assertThat(mailsTo(consenting)).hasSize(2);
    }

    @Test
    void quietHoursHoldAMessageUntilMorningThenItGoesOut() throws Exception {
        String customer = customer("en-GB", zoneWhereItIs(2), ChannelConsents.none());
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, trigger(TriggerType.REVIEW_THANKS,
                "ord-2", null, Map.of())));

        NotificationOutcome held = awaitOutcome(customer, NotificationOutcome.Outcome.HELD);
        assertThat(held.reason()).isEqualTo("QUIET_HOURS");
        assertThat(mailsTo(customer)).isEmpty();

        clock.advance(Duration.ofHours(7));
        dispatcher.dispatchDue().await().atMost(Duration.ofSeconds(30));

        assertThat(awaitMail(customer).getSubject()).isEqualTo("Thank you for your review");
        assertThat(awaitOutcome(customer, NotificationOutcome.Outcome.SENT).attempt()).isEqualTo(1);
    }

    @Test
    void aHeldMessageAnnouncesEachReasonOnceAndAnOutcomeIdAlwaysCarriesTheSamePayload() throws Exception {
        String customer = "c-" + UUID.randomUUID(); // no profile yet
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, trigger(TriggerType.REVIEW_THANKS,
                "ord-h", null, Map.of())));
        assertThat(awaitOutcome(customer, NotificationOutcome.Outcome.HELD).reason()).isEqualTo("CONTACT_UNKNOWN");
        for (int cycle = 0; cycle < 3; cycle++) { // each retry of CONTACT_UNKNOWN is due 30 s later
            clock.advance(Duration.ofSeconds(31));
            dispatcher.dispatchDue().await().atMost(Duration.ofSeconds(30));
        }

        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(customer, new CustomerRegistered(Instant.now(),
                customer + "@example.com", "Alex", "Doe", "en-GB", zoneWhereItIs(2), null, ChannelConsents.none(),
                null)));
        await().atMost(Duration.ofSeconds(30)).until(() -> row("SELECT count(*) AS known FROM contact "
                + "WHERE customer_id = $1 AND profile_known", customer).equals("{\"known\":1}"));
        clock.advance(Duration.ofSeconds(31));
        dispatcher.dispatchDue().await().atMost(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes(customer).stream()
                .anyMatch(o -> "QUIET_HOURS".equals(o.reason())));
        clock.advance(Duration.ofHours(7));
        dispatcher.dispatchDue().await().atMost(Duration.ofSeconds(30));
        awaitOutcome(customer, NotificationOutcome.Outcome.SENT);
        Thread.sleep(3000); // two more dispatcher runs, and the relay has published what they wrote

        assertThat(outcomes(customer)).extracting(o -> o.outcome() + " " + o.reason())
                .containsExactly("HELD CONTACT_UNKNOWN", "HELD QUIET_HOURS", "SENT null");
        Map<String, List<String>> payloadsById = new java.util.HashMap<>();
        EventDecoder decoder = new EventDecoder();
        kafka.readAll(Topics.RETENTION_NOTIFICATIONS).stream().filter(r -> customer.equals(r.key())).forEach(r ->
                payloadsById.computeIfAbsent(((DecodeResult.Decoded) decoder.decode(Topics.RETENTION_NOTIFICATIONS,
                        r.key(), r.value(), Map.of())).event().id(), id -> new ArrayList<>())
                        .add(new String(r.value(), StandardCharsets.UTF_8)));
        assertThat(payloadsById.values()).allSatisfy(payloads -> assertThat(payloads).containsOnly(payloads.get(0)));
    }

    @Test
    void aRedeliveredTriggerIsSentOnce() throws Exception {
        String customer = customer("en-GB", daytimeZone(), ChannelConsents.none());
        TriggerFired thanks = trigger(TriggerType.REVIEW_THANKS, "ord-3", null, Map.of());
        EventEnvelope<TriggerFired> event = TestEvents.envelope(customer, thanks);
        kafka.publish(Topics.RETENTION_TRIGGERS, event);
        kafka.publish(Topics.RETENTION_TRIGGERS, event);
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, thanks)); // republished, new event id

        awaitMail(customer);
        Thread.sleep(3000); // two dispatcher runs
        assertThat(mailsTo(customer)).hasSize(1);
        assertThat(outcomes(customer)).hasSize(1);
    }

    @Test
    void aServiceMessageIsClaimedBeforeMarketingThatWasDueEarlier() {
        // Rows due in 2000, inside a transaction that is rolled back: the running dispatcher never sees them, and
        // no other test's row is due that early.
        Instant due = Instant.parse("2000-01-01T00:00:00Z");
        TriggerFired invitation = trigger(TriggerType.REFERRAL_INVITATION, "ord-p", null, Map.of());
        TriggerFired apology = trigger(TriggerType.DELAY_APOLOGY, "ord-p", null, Map.of());
        SqlConnection connection = pool.getConnection().await().atMost(Duration.ofSeconds(10));
        Transaction transaction = connection.begin().await().atMost(Duration.ofSeconds(10));
        try {
            store.insertNotifications(connection, List.of(
                    new NotificationStore.NewNotification("first-marketing", "c-prio", "email", invitation, due),
                    new NotificationStore.NewNotification("then-marketing", "c-prio", "email",
                            trigger(TriggerType.BIRTHDAY_OFFER, null, null, Map.of()), due.plusSeconds(1)),
                    new NotificationStore.NewNotification("service-last", "c-prio", "webhook", apology, due.plusSeconds(60))))
                    .await().atMost(Duration.ofSeconds(10));
            Instant now = due.plusSeconds(120);
            List<String> claimed = new ArrayList<>();
            for (int run = 0; run < 3; run++) {
                store.claimDue(connection, now, 1, now.plusSeconds(600)).await().atMost(Duration.ofSeconds(10))
                        .forEach(n -> claimed.add(n.notificationId()));
            }
            assertThat(claimed).containsExactly("service-last", "first-marketing", "then-marketing");
        } finally {
            transaction.rollback().await().atMost(Duration.ofSeconds(10));
            connection.close().await().atMost(Duration.ofSeconds(10));
        }
    }

    @Test
    void aFeedbackMailCarriesAScaleOfSignedScoreLinksForItsOwnRequestOnly() throws Exception {
        String customer = customer("en-GB", daytimeZone(), new ChannelConsents(true, false, false, false));
        Instant validUntil = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        TriggerFired request = trigger(TriggerType.FEEDBACK_REQUEST, "ord-7", null,
                Map.of("linksValidUntil", validUntil.toString()));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, request));

        MimeMessage mail = awaitMail(customer);
        assertThat(mail.getSubject()).isEqualTo("How likely are you to recommend us?");
        String text = text(mail);
        java.util.regex.Matcher links = java.util.regex.Pattern
                .compile("(\\d+): (http://localhost:8083/feedback\\?token=([A-Za-z0-9_.%-]+)&score=(\\d+))")
                .matcher(text);
        List<Integer> scores = new java.util.ArrayList<>();
        java.util.Set<String> tokens = new java.util.HashSet<>();
        while (links.find()) {
            assertThat(links.group(4)).isEqualTo(links.group(1));
            scores.add(Integer.parseInt(links.group(4)));
            tokens.add(java.net.URLDecoder.decode(links.group(3), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(scores).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        // One token for the mail: campaign-service's verification (same secret) names this request, valid until then.
        assertThat(tokens).hasSize(1);
        var verdict = new dev.retention.contracts.feedback.FeedbackLinkTokens("test-feedback-secret-of-some-length",
                null).verify(tokens.iterator().next(), Instant.now());
        assertThat(verdict).isEqualTo(new dev.retention.contracts.feedback.FeedbackLinkTokens.Valid(
                request.triggerId(), validUntil));
        // No personal data in the links; the HTML shows the scale as links, not as a list of URLs.
        assertThat(text).doesNotContain(customer, "@example.com");
        String html = part(mail.getContent(), "text/html");
        assertThat(html).contains(">10</a>", "score=0").doesNotContain("0: http");
        assertThat(mail.getHeader("List-Unsubscribe")).isNotNull(); // a marketing message
    }

    @Test
    void aServiceRecoveryIsMailedWithTheApologyVoucherWithoutMarketingConsent() throws Exception {
        String customer = customer("de-DE", daytimeZone(), ChannelConsents.none());
        TriggerFired recovery = trigger(TriggerType.SERVICE_RECOVERY, "ord-8", new Voucher("OFFER-AB23-CD45-EF67",
                Money.of("5.00", "EUR"), null, null, false, null, Instant.parse("2026-12-24T11:00:00Z")),
                Map.of("score", "2"));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, recovery));

        MimeMessage mail = awaitMail(customer);
        assertThat(mail.getSubject()).isEqualTo("Das tut uns leid: danke für Ihre Offenheit");
        assertThat(text(mail).replace('\u00a0', ' ')).contains("Hallo Alex,", "ord-8", "OFFER-AB23-CD45-EF67",
                "5,00 €");
        assertThat(mail.getHeader("List-Unsubscribe")).isNull();
    }

    @Test
    void theFrequencyCapSuppressesTheThirdMarketingMessageOfTheDay() throws Exception {
        String customer = customer("en-GB", daytimeZone(), new ChannelConsents(true, false, false, false));
        for (int i = 0; i < 3; i++) {
            kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, trigger(TriggerType.WIN_BACK,
                    null, null, Map.of("step", "1"))));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes(customer).size() == 3);
        assertThat(outcomes(customer)).extracting(NotificationOutcome::outcome).containsExactlyInAnyOrder(
                NotificationOutcome.Outcome.SENT, NotificationOutcome.Outcome.SENT,
                NotificationOutcome.Outcome.SUPPRESSED);
        assertThat(mailsTo(customer)).hasSize(2);
    }

    @Test
    void webhooksAreSignedRetriedWithTheSameDeliveryIdAndPermanentFailuresRecorded() throws Exception {
        String customer = customer("en-GB", daytimeZone(), new ChannelConsents(false, false, false, true));
        MailAndWebhookServers.webhookStatuses.add(503);
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, trigger(TriggerType.TIER_UP, null,
                null, Map.of("fromTier", "silver", "toTier", "gold"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> webhooksFor(customer).size() == 1);
        assertThat(outcomes(customer)).isEmpty(); // a temporary failure is retried, not an outcome

        clock.advance(Duration.ofMinutes(2));
        dispatcher.dispatchDue().await().atMost(Duration.ofSeconds(30));

        NotificationOutcome sent = awaitOutcome(customer, NotificationOutcome.Outcome.SENT);
        assertThat(sent.attempt()).isEqualTo(2);
        List<MailAndWebhookServers.Received> deliveries = webhooksFor(customer);
        assertThat(deliveries).hasSize(2);
        assertThat(header(deliveries.get(0), "X-retention-delivery-id"))
                .isEqualTo(header(deliveries.get(1), "X-retention-delivery-id"));
        MailAndWebhookServers.Received delivery = deliveries.get(1);
        assertThat(WebhookSignature.verify(header(delivery, "X-retention-signature"), delivery.body(),
                MailAndWebhookServers.WEBHOOK_SECRET, Instant.now(), Duration.ofHours(1))).isTrue();
        assertThat(WebhookSignature.verify(header(delivery, "X-retention-signature"), delivery.body(),
                "a-wrong-secret-entirely", Instant.now(), Duration.ofHours(1))).isFalse();
        assertThat(new String(delivery.body(), StandardCharsets.UTF_8)).contains("Welcome to gold");

        String refused = customer("en-GB", daytimeZone(), new ChannelConsents(false, false, false, true));
        MailAndWebhookServers.webhookStatuses.add(410);
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(refused, trigger(TriggerType.TIER_UP, null,
                null, Map.of("toTier", "gold"))));
        assertThat(awaitOutcome(refused, NotificationOutcome.Outcome.FAILED).reason()).isEqualTo("HTTP_410");
    }

    @Test
    void aTemplateFromTheOverrideDirectoryWinsWithoutARebuild() throws Exception {
        var dir = MailAndWebhookServers.templates.resolve("review-request/en");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("subject.txt"), "Tell us, {firstName}!");
        String customer = customer("en-US", daytimeZone(), new ChannelConsents(true, false, false, false));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, trigger(TriggerType.REVIEW_REQUEST,
                "ord-4", null, Map.of())));

        MimeMessage mail = awaitMail(customer);
        assertThat(mail.getSubject()).isEqualTo("Tell us, Alex!");
        assertThat(text(mail)).contains("ord-4"); // the built-in body, found through the fallback en-US → en
    }

    @Test
    void anErasedCustomersAddressNameAndDeliveryRepliesAreGoneAndNothingMoreIsSent() throws Exception {
        String customer = customer("en-GB", daytimeZone(), new ChannelConsents(true, false, false, true));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, trigger(TriggerType.REVIEW_THANKS,
                "ord-5", null, Map.of())));
        awaitMail(customer);
        // An earlier delivery that a mail server refused, quoting the address, as the delivery log keeps it.
        pool.preparedQuery("""
                INSERT INTO notification (notification_id, trigger_id, customer_id, trigger_type, marketing, channel,
                       trigger, state, reason, attempts, created_at)
                VALUES ($1, $1, $2, 'review-request', false, 'email', '{}', 'FAILED', $3, 1, now())""")
                .executeAndAwait(io.vertx.mutiny.sqlclient.Tuple.of(UUID.randomUUID().toString(), customer,
                        "SMTP_550: SMTP 550 5.1.1 <" + customer + "@example.com>: no such user"));

        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(customer,
                new dev.retention.contracts.events.CustomerErased(Instant.now())));

        await().atMost(Duration.ofSeconds(30)).until(() -> row("SELECT erased FROM contact WHERE customer_id = $1",
                customer).equals("{\"erased\":true}"));
        assertThat(row("SELECT email, first_name, locale, time_zone, email_consent, webhook_consent FROM contact "
                + "WHERE customer_id = $1", customer)).isEqualTo("{\"email\":null,\"first_name\":null,"
                + "\"locale\":null,\"time_zone\":null,\"email_consent\":false,\"webhook_consent\":false}");
        assertThat(row("SELECT string_agg(coalesce(reason, ''), '|' ORDER BY coalesce(reason, '')) AS reasons "
                + "FROM notification WHERE customer_id = $1", customer)).isEqualTo("{\"reasons\":\"|SMTP_550\"}");
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, trigger(TriggerType.DELAY_APOLOGY,
                "ord-6", null, Map.of())));
        assertThat(awaitOutcome(customer, NotificationOutcome.Outcome.SUPPRESSED).reason()).isEqualTo("ERASED");
        assertThat(mailsTo(customer)).hasSize(1);
    }

    @Test
    void anAdminsErasurePublishesCustomerErasedOnceAndThisServiceErasesTheContactByConsumingIt() throws Exception {
        String customer = customer("en-GB", daytimeZone(), new ChannelConsents(true, false, false, false));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, trigger(TriggerType.REVIEW_THANKS,
                "ord-8", null, Map.of())));
        awaitMail(customer);
        String erasure = "/customers/" + customer + "/erasure";

        Response mismatch = erase(erasure, customer + "x", "ticket 4711");
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(mismatch.jsonPath().getList("violations.field")).containsExactly("confirmCustomerId");
        assertThat(erase(erasure, customer, " ").jsonPath().getList("violations.field")).containsExactly("reason");
        assertThat(erase(erasure, customer, "x".repeat(501)).jsonPath().getList("violations.field"))
                .containsExactly("reason");
        assertThat(row("SELECT count(*) AS requests FROM customer_erasure_request WHERE customer_id = $1", customer))
                .as("a refused request records nothing").isEqualTo("{\"requests\":0}");

        Response first = erase(erasure, customer, "ticket 4711");
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(202);
        Response again = erase(erasure, customer, "ticket 4711, asked twice");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.asString()).isEqualTo(first.asString());
        String eventId = first.jsonPath().getString("eventId");
        assertThat(eventId).isEqualTo(EventIds.derive(customer, "erasure"));
        assertThat(first.jsonPath().getString("customerId")).isEqualTo(customer);
        assertThat(first.jsonPath().getString("requestedBy")).isEqualTo("admin-1");
        Instant requestedAt = Instant.parse(first.jsonPath().getString("requestedAt"));
        assertThat(row("SELECT requested_by, reason FROM customer_erasure_request WHERE customer_id = $1", customer))
                .isEqualTo("{\"requested_by\":\"admin-1\",\"reason\":\"ticket 4711\"}");

        // The service consumes its own event from customers, as it does the shop's.
        await().atMost(Duration.ofSeconds(30)).until(() -> row("SELECT erased FROM contact WHERE customer_id = $1",
                customer).equals("{\"erased\":true}"));
        assertThat(row("SELECT email, first_name, email_consent FROM contact WHERE customer_id = $1", customer))
                .isEqualTo("{\"email\":null,\"first_name\":null,\"email_consent\":false}");
        assertThat(erase(erasure, customer, "ticket 4711").asString()).isEqualTo(first.asString());
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, trigger(TriggerType.DELAY_APOLOGY,
                "ord-9", null, Map.of())));
        assertThat(awaitOutcome(customer, NotificationOutcome.Outcome.SUPPRESSED).reason()).isEqualTo("ERASED");
        assertThat(mailsTo(customer)).hasSize(1);

        // Three requests, one record on customers: nothing is left in the outbox to publish a second.
        assertThat(pool.preparedQuery("SELECT count(*) FROM eventing_outbox_batch WHERE $1 = ANY(message_ids)")
                .executeAndAwait(io.vertx.mutiny.sqlclient.Tuple.of(eventId)).iterator().next().getLong(0)).isZero();
        EventDecoder decoder = new EventDecoder();
        List<EventEnvelope<?>> published = kafka.readAll(Topics.CUSTOMERS).stream()
                .filter(r -> customer.equals(r.key()))
                .<EventEnvelope<?>>map(r -> ((DecodeResult.Decoded) decoder.decode(Topics.CUSTOMERS, r.key(),
                        r.value(), Map.of())).event())
                .filter(e -> e.data() instanceof CustomerErased).toList();
        assertThat(published).hasSize(1);
        EventEnvelope<?> erased = published.get(0);
        assertThat(erased.id()).isEqualTo(eventId);
        assertThat(erased.subject()).isEqualTo(customer);
        assertThat(erased.source()).isEqualTo("/notification-service/erasure-api");
        assertThat(erased.dataAs(CustomerErased.class).erasedAt()).isEqualTo(requestedAt);
    }

    private static Response erase(String path, String confirmCustomerId, String reason) {
        return Api.admin().contentType("application/json").body(Map.of("confirmCustomerId", confirmCustomerId,
                "reason", reason)).post(path);
    }

    @Test
    void aCartReminderListsTheItemsAndItsSecondStepTheVoucher() throws Exception {
        ChannelConsents email = new ChannelConsents(true, false, false, false);
        String english = customer("en-GB", daytimeZone(), email);
        String german = customer("de-DE", daytimeZone(), email);
        CartContents cart = new CartContents("cart-7", List.of(
                new CartLine("sku-red-shoe", 1, Money.of("79.90", "EUR")),
                new CartLine("sku-socks", 3, Money.of("4.50", "EUR"))));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(english, cartReminder(cart, null, "1")));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(german, cartReminder(cart,
                new Voucher("CART-AB23-CD45-EF67", null, new BigDecimal("10"), null, false,
                        Money.of("30.00", "EUR"), Instant.parse("2026-12-24T11:00:00Z")), "2")));

        MimeMessage first = awaitMail(english);
        assertThat(first.getSubject()).isEqualTo("You left something in your cart");
        String text = text(first).replace('\u00a0', ' ');
        assertThat(text).contains("Hello Alex,", "- 1 × sku-red-shoe, €79.90 each",
                "- 3 × sku-socks, €4.50 each (€13.50)");
        assertThat(text).doesNotContain("voucher code", "null");
        assertThat(part(first.getContent(), "text/html")).contains("sku-red-shoe", "sku-socks");
        assertThat(first.getHeader("List-Unsubscribe")).as("marketing").isNotNull();

        MimeMessage second = awaitMail(german);
        assertThat(second.getSubject()).isEqualTo("Noch unentschlossen? Ein Gutschein für Ihren Warenkorb");
        String zweiter = text(second).replace('\u00a0', ' ');
        assertThat(zweiter).contains("Hallo Alex,", "- 1 × sku-red-shoe, je 79,90 €", "- 3 × sku-socks, je 4,50 € (13,50 €)",
                "CART-AB23-CD45-EF67", "10 % Rabatt", "ab einem Bestellwert von 30,00 €", "24. Dezember 2026");
        assertThat(awaitOutcome(german, NotificationOutcome.Outcome.SENT).triggerType())
                .isEqualTo(TriggerType.CART_REMINDER);
    }

    @Test
    void aCartReminderNamesTheItemsTheProductsTopicKnowsAndRecommendsWhatGoesWithTheCart() throws Exception {
        String p = "n" + UUID.randomUUID().toString().substring(0, 8);
        String shoe = p + "-shoe";
        String unnamed = p + "-unnamed";
        String laces = p + "-laces";
        kafka.publish(Topics.PRODUCTS, TestEvents.envelope(shoe, new ProductUpdated(shoe, "Red shoe",
                "https://shop.example.com/p/" + shoe, null, "shoes", false, Instant.now())));
        kafka.publish(Topics.PRODUCTS, TestEvents.envelope(laces, new ProductUpdated(laces, "Waxed laces",
                "https://shop.example.com/p/" + laces, null, "shoes", true, Instant.now())));
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery(
                "SELECT count(*) FROM product WHERE sku LIKE $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(p + "-%"))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 2);
        String english = customer("en-GB", daytimeZone(), new ChannelConsents(true, false, false, false));
        CartContents cart = new CartContents("cart-" + p, List.of(new CartLine(shoe, 1, Money.of("79.90", "EUR")),
                new CartLine(unnamed, 2, Money.of("4.50", "EUR"))));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(english, cartReminder(cart, null, "1")
                .withRecommendations(List.of(laces))));

        String text = text(awaitMail(english)).replace('\u00a0', ' ');
        // A sold-out item in the cart is still named: the name is for the line, stock only for recommendations.
        assertThat(text).contains("- 1 × Red shoe (" + shoe + "), €79.90 each",
                "- 2 × " + unnamed + ", €4.50 each (€9.00)",
                "Often bought together with what is in your cart:",
                "- Waxed laces: https://shop.example.com/p/" + laces);
        assertThat(text).doesNotContain("null", "what you bought");
    }

    private String row(String sql, String customer) {
        return pool.preparedQuery(sql).executeAndAwait(io.vertx.mutiny.sqlclient.Tuple.of(customer)).iterator().next()
                .toJson().encode();
    }

    @Test
    void aWinBackShowsTheRecommendedProductsKnownAndInStockByNameAndLinkInGermanAndEnglish() throws Exception {
        String p = "n" + UUID.randomUUID().toString().substring(0, 8);
        String cream = p + "-cream";
        String mask = p + "-mask";
        String soldOut = p + "-sold-out";
        kafka.publish(Topics.PRODUCTS, TestEvents.envelope(cream, new ProductUpdated(cream, "Rosen-Handcreme",
                "https://shop.example.com/p/" + cream, "https://shop.example.com/img/" + cream + ".jpg", "care", true,
                Instant.now())));
        kafka.publish(Topics.PRODUCTS, TestEvents.envelope(mask, new ProductUpdated(mask, "Clay mask",
                "https://shop.example.com/p/" + mask, null, null, true, Instant.now())));
        kafka.publish(Topics.PRODUCTS, TestEvents.productUpdated(soldOut, false, Instant.now()));
        // An older record of the cream arriving late changes nothing: the newest updatedAt wins.
        kafka.publish(Topics.PRODUCTS, TestEvents.envelope(cream, new ProductUpdated(cream, "Old name",
                "https://shop.example.com/old", null, null, false, Instant.now().minus(Duration.ofDays(1)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery(
                "SELECT count(*) FROM product WHERE sku LIKE $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(p + "-%"))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 3);
        String german = customer("de-DE", daytimeZone(), new ChannelConsents(true, false, false, false));
        String english = customer("en-GB", daytimeZone(), ChannelConsents.none());
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(german, trigger(TriggerType.WIN_BACK, null,
                null, Map.of("step", "1")).withRecommendations(List.of(soldOut, cream, mask))));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(english, trigger(TriggerType.REVIEW_THANKS,
                "ord-9", null, Map.of()).withRecommendations(List.of(p + "-unknown", mask))));

        MimeMessage mail = awaitMail(german);
        assertThat(mail.getSubject()).isEqualTo("Wir vermissen Sie");
        String text = text(mail);
        assertThat(text).contains("Oft zusammen gekauft mit Ihren Artikeln:",
                "- Rosen-Handcreme: https://shop.example.com/p/" + cream,
                "- Clay mask: https://shop.example.com/p/" + mask);
        assertThat(text).doesNotContain(soldOut, "Old name", "null");
        assertThat(text.indexOf("Rosen-Handcreme")).isLessThan(text.indexOf("Clay mask")); // the trigger's order
        String html = part(mail.getContent(), "text/html");
        assertThat(html).contains("<a href=\"https://shop.example.com/p/" + cream + "\">Rosen-Handcreme</a>",
                "<img src=\"https://shop.example.com/img/" + cream + ".jpg\"",
                "<a href=\"https://shop.example.com/p/" + mask + "\">Clay mask</a>");
        assertThat(html).doesNotContain("- Rosen-Handcreme:", soldOut);

        MimeMessage thanks = awaitMail(english);
        assertThat(text(thanks)).contains("Often bought together with what you bought:",
                "- Clay mask: https://shop.example.com/p/" + mask).doesNotContain(p + "-unknown");
    }

    @Test
    void aBirthdayOfferShowsItsThreeRecommendedProductsByNameAndLinkBesideItsVoucher() throws Exception {
        String p = "b" + UUID.randomUUID().toString().substring(0, 8);
        List<String> skus = List.of(p + "-serum", p + "-soap", p + "-candle");
        List<String> names = List.of("Nachtserum", "Olive soap", "Duftkerze Zeder");
        for (int i = 0; i < 3; i++) {
            kafka.publish(Topics.PRODUCTS, TestEvents.envelope(skus.get(i), new ProductUpdated(skus.get(i),
                    names.get(i), "https://shop.example.com/p/" + skus.get(i), null, "care", true, Instant.now())));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery(
                "SELECT count(*) FROM product WHERE sku LIKE $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(p + "-%"))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 3);
        // A birthday offer is marketing: e-mail consent, and a zone where it is daytime.
        String german = customer("de-DE", daytimeZone(), new ChannelConsents(true, false, false, false));
        String english = customer("en-GB", daytimeZone(), new ChannelConsents(true, false, false, false));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(german, birthday().withRecommendations(skus)));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(english,
                birthday().withRecommendations(List.of(skus.get(2), skus.get(1), skus.get(0)))));

        MimeMessage mail = awaitMail(german);
        assertThat(mail.getSubject()).isEqualTo("Alles Gute zum Geburtstag");
        String text = text(mail);
        assertThat(text).contains("BDAY-AB23-CD45-EF67", "Oft zusammen gekauft mit Ihren Artikeln:",
                "- Nachtserum: https://shop.example.com/p/" + skus.get(0),
                "- Olive soap: https://shop.example.com/p/" + skus.get(1),
                "- Duftkerze Zeder: https://shop.example.com/p/" + skus.get(2));
        assertThat(text.indexOf("Nachtserum")).isLessThan(text.indexOf("Olive soap")); // the trigger's order
        assertThat(text.indexOf("Olive soap")).isLessThan(text.indexOf("Duftkerze Zeder"));
        String html = part(mail.getContent(), "text/html");
        for (int i = 0; i < 3; i++) {
            assertThat(html).contains("<a href=\"https://shop.example.com/p/" + skus.get(i) + "\">" + names.get(i)
                    + "</a>");
        }

        MimeMessage birthday = awaitMail(english);
        assertThat(birthday.getSubject()).isEqualTo("Happy birthday from us");
        String englishText = text(birthday);
        assertThat(englishText).contains("BDAY-AB23-CD45-EF67", "Often bought together with what you bought:",
                "- Duftkerze Zeder: https://shop.example.com/p/" + skus.get(2),
                "- Olive soap: https://shop.example.com/p/" + skus.get(1),
                "- Nachtserum: https://shop.example.com/p/" + skus.get(0));
        assertThat(englishText.indexOf("Duftkerze Zeder")).isLessThan(englishText.indexOf("Nachtserum"));
    }

    // ---- helpers ----

    private static TriggerFired birthday() {
        return trigger(TriggerType.BIRTHDAY_OFFER, null, new Voucher("BDAY-AB23-CD45-EF67", null,
                new BigDecimal("15"), null, false, Money.of("20.00", "GBP"), Instant.parse("2026-12-31T12:00:00Z")),
                Map.of());
    }

    private static TriggerFired cartReminder(CartContents cart, Voucher voucher, String step) {
        return new TriggerFired(UUID.randomUUID().toString(), TriggerType.CART_REMINDER, null, "cart left",
                UUID.randomUUID().toString(), null, voucher, Map.of("step", step), Instant.now(), null, cart);
    }

    private static TriggerFired reward(Voucher voucher, IssuedReward reward) {
        return new TriggerFired(UUID.randomUUID().toString(), TriggerType.REWARD, null, "reward redeemed",
                UUID.randomUUID().toString(), null, voucher, Map.of(), Instant.now(), reward);
    }

    private static TriggerFired trigger(TriggerType type, String orderId, Voucher voucher,
                                        Map<String, String> attributes) {
        return new TriggerFired(UUID.randomUUID().toString(), type, null, "test", UUID.randomUUID().toString(),
                orderId, voucher, attributes, Instant.now());
    }

    private static String customer(String locale, String zone, ChannelConsents consents) {
        String customer = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(customer, new CustomerRegistered(Instant.now(),
                customer + "@example.com", "Alex", "Doe", locale, zone, null, consents, null)));
        return customer;
    }

    /** A fixed-offset zone where the local hour is now {@code hour}. */
    private static String zoneWhereItIs(int hour) {
        int offset = hour - Instant.now().atZone(ZoneOffset.UTC).getHour();
        if (offset > 14) {
            offset -= 24;
        } else if (offset < -12) {
            offset += 24;
        }
        return ZoneOffset.ofHours(offset).getId();
    }

    private static String daytimeZone() {
        return zoneWhereItIs(12);
    }

    private static List<MimeMessage> mailsTo(String customer) throws Exception {
        return Arrays.stream(MailAndWebhookServers.smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(customer + "@example.com");
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static MimeMessage awaitMail(String customer) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> !mailsTo(customer).isEmpty());
        return mailsTo(customer).get(0);
    }

    /** The decoded plain-text part of the mail. */
    private static String text(MimeMessage mail) throws Exception {
        return part(mail.getContent(), "text/plain");
    }

    private static String part(Object content, String type) throws Exception {
        if (content instanceof jakarta.mail.Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                var body = multipart.getBodyPart(i);
                String found = body.isMimeType(type) ? body.getContent().toString() : part(body.getContent(), type);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        return null;
    }

    private static List<MailAndWebhookServers.Received> webhooksFor(String customer) {
        return MailAndWebhookServers.webhookRequests.stream()
                .filter(r -> new String(r.body(), StandardCharsets.UTF_8).contains(customer)).toList();
    }

    private static String header(MailAndWebhookServers.Received request, String name) {
        return request.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    private static List<NotificationOutcome> outcomes(String customer) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(Topics.RETENTION_NOTIFICATIONS).stream().filter(r -> customer.equals(r.key()))
                .map(r -> (NotificationOutcome) ((DecodeResult.Decoded) decoder.decode(Topics.RETENTION_NOTIFICATIONS,
                        r.key(), r.value(), Map.of())).event().data())
                .toList();
    }

    private static String rawOutcomes(String customer) {
        return kafka.readAll(Topics.RETENTION_NOTIFICATIONS).stream().filter(r -> customer.equals(r.key()))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).reduce("", String::concat);
    }

    private static NotificationOutcome awaitOutcome(String customer, NotificationOutcome.Outcome outcome) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> outcomes(customer).stream().anyMatch(o -> o.outcome() == outcome));
        return outcomes(customer).stream().filter(o -> o.outcome() == outcome).findFirst().orElseThrow();
    }
}
