package dev.retention.campaigns;

import dev.retention.campaigns.messaging.CampaignJobs;
import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.FeedbackChannel;
import dev.retention.contracts.events.FeedbackRecorded;
import dev.retention.contracts.events.FeedbackSubmitted;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.ServiceRecoveryRequested;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.feedback.FeedbackLinkTokens;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Feedback on the real broker and database: the feedback mail's trigger after delivery (the programme asks for
 * feedback instead of a review), its score links clicked (recorded once, a second click changes nothing), the
 * shop's {@code feedback.submitted}; a detractor's service recovery (trigger and helpdesk event), a promoter's
 * referral invitation (once), and the comment erased with the customer.
 */
@QuarkusTest
@TestProfile(FeedbackFlowTest.FeedbackProgramme.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class FeedbackFlowTest {

    /**
     * A programme of this class's own (the broker is shared by the test JVM): feedback mails, no holdout; a shop
     * that lets its helpdesk read comments (HelpdeskNoticesTest holds the rule for both settings).
     */
    public static class FeedbackProgramme implements QuarkusTestProfile {
        static final String PROGRAMME = "feedback-flow-test";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.programme.id", PROGRAMME, "retention.feedback.helpdesk-comments", "true");
        }
    }

    private static final String SECRET = "test-feedback-secret-of-some-length";
    private static final Instant BASE = Instant.now();
    private static KafkaTestClient kafka;

    @Inject
    MovableClock clock;
    @Inject
    CampaignJobs jobs;
    @Inject
    ProgrammeVersions versions;
    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS, Topics.FEEDBACK,
                Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_TRIGGERS,
                Topics.RETENTION_HELPDESK);
        kafka.createTopics(1, Topics.RETENTION_PROGRAMME);
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
    void aScoreLinkIsRecordedOnceAndADetractorGetsServiceRecovery() {
        publishProgramme();
        String customer = registered();
        String orderId = "ord-" + customer;
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).orderId(orderId).build());
        kafka.publish(Topics.SHIPMENTS, TestEvents.shipmentDelivered(customer, orderId));
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveredSeen(customer));

        clock.advance(Duration.ofDays(8));
        jobs.reviewRequests().await().atMost(Duration.ofSeconds(30));
        TriggerFired request = awaitTrigger(customer, TriggerType.FEEDBACK_REQUEST);
        assertThat(request.orderId()).isEqualTo(orderId);
        assertThat(triggers(customer)).noneMatch(t -> t.triggerType() == TriggerType.REVIEW_REQUEST);
        Instant validUntil = Instant.parse(request.attributes().get("linksValidUntil"));
        assertThat(validUntil).isAfter(clock.instant().plus(Duration.ofDays(20)));
        String token = new FeedbackLinkTokens(SECRET, null).issue(request.triggerId(), validUntil);

        // Opening the link (what a mail scanner does) changes nothing: the page posts the form itself.
        Response page = link(token, "3").get("/feedback");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().asString()).contains("<form method=\"post\"", "score=3", "<script>");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'", "script-src 'sha256-");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(answer(customer, orderId)).isEmpty();

        Response recorded = link(token, "3").header("Accept-Language", "de-DE,de;q=0.9,en;q=0.8").post("/feedback");
        assertThat(recorded.statusCode()).isEqualTo(200);
        assertThat(recorded.body().asString()).contains("Vielen Dank", "textarea");
        assertThat(answer(customer, orderId)).contains(3);

        // The second click, with another score, changes nothing.
        Response again = link(token, "10").post("/feedback");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body().asString()).contains("already answered");
        assertThat(answer(customer, orderId)).contains(3);

        TriggerFired recovery = awaitTrigger(customer, TriggerType.SERVICE_RECOVERY);
        assertThat(recovery.orderId()).isEqualTo(orderId);
        assertThat(recovery.voucher().value()).isEqualTo(Money.of("5.00", "EUR"));
        assertThat(recovery.attributes()).containsEntry("score", "3");
        assertThat(recovery.sourceEventId()).isEqualTo(request.triggerId()); // answered through the request's link
        FeedbackRecorded feedback = awaitOne(customer, FeedbackRecorded.class);
        assertThat(feedback.orderId()).isEqualTo(orderId);
        assertThat(feedback.score()).isEqualTo(3);
        assertThat(feedback.channel()).isEqualTo(FeedbackChannel.EMAIL);
        ServiceRecoveryRequested helpdesk = awaitHelpdesk(customer);
        assertThat(helpdesk.orderId()).isEqualTo(orderId);
        assertThat(helpdesk.score()).isEqualTo(3);

        // The comment form works once.
        assertThat(comment(token, "The parcel was soaked.").statusCode()).isEqualTo(200);
        assertThat(comment(token, "Another comment").statusCode()).isEqualTo(409);
        assertThat(storedComment(customer, orderId)).contains("The parcel was soaked.");
        // The helpdesk hears of the comment: the notice again, with it.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> helpdesk(customer).size() == 2);
        assertThat(helpdesk(customer)).extracting(ServiceRecoveryRequested::orderId, ServiceRecoveryRequested::score,
                        ServiceRecoveryRequested::comment)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(orderId, 3, null),
                        org.assertj.core.groups.Tuple.tuple(orderId, 3, "The parcel was soaked."));

        // Still one of each after everything.
        kafka.publish(Topics.REVIEWS, TestEvents.reviewSubmitted(customer, orderId, 2)); // a marker event
        awaitTrigger(customer, TriggerType.REVIEW_THANKS);
        assertThat(of(output(customer), FeedbackRecorded.class)).hasSize(1);
        assertThat(triggers(customer)).filteredOn(t -> t.triggerType() == TriggerType.SERVICE_RECOVERY).hasSize(1);
        assertThat(helpdesk(customer)).hasSize(2);
    }

    @Test
    void tamperedExpiredAndUnknownLinksAreRefusedWithAClearPage() {
        publishProgramme();
        FeedbackLinkTokens tokens = new FeedbackLinkTokens(SECRET, null);
        String unknownTrigger = tokens.issue(UUID.randomUUID().toString(), clock.instant().plusSeconds(3600));
        String expired = tokens.issue(UUID.randomUUID().toString(), clock.instant().minusSeconds(1));
        String forged = new FeedbackLinkTokens("someone-elses-secret-123", null)
                .issue(UUID.randomUUID().toString(), clock.instant().plusSeconds(3600));

        assertThat(link(unknownTrigger, "5").post("/feedback").statusCode()).isEqualTo(400);
        Response gone = link(expired, "5").post("/feedback");
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.body().asString()).contains("expired");
        assertThat(link(forged, "5").get("/feedback").statusCode()).isEqualTo(400);
        assertThat(link("not-a-token", "5").get("/feedback").statusCode()).isEqualTo(400);
        assertThat(link(unknownTrigger, "11").get("/feedback").statusCode()).isIn(400);
    }

    @Test
    void theShopsFeedbackIsRecordedOnceAPromoterIsInvitedOnceAndErasureRemovesTheComment() {
        publishProgramme();
        String customer = registered();
        // Orders campaign-service never saw placed: the customer has had no referral invitation yet.
        EventEnvelope<FeedbackSubmitted> promoter = feedback(customer, "ord-a-" + customer, 10, "Great shop");
        kafka.publish(Topics.FEEDBACK, promoter);
        kafka.publish(Topics.FEEDBACK, promoter); // redelivered
        kafka.publish(Topics.FEEDBACK, feedback(customer, "ord-a-" + customer, 1, "changed my mind"));
        kafka.publish(Topics.FEEDBACK, feedback(customer, "ord-b-" + customer, 9, null));
        EventEnvelope<FeedbackSubmitted> detractor = feedback(customer, "ord-c-" + customer, 0, "Never again");
        kafka.publish(Topics.FEEDBACK, detractor);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> of(output(customer), FeedbackRecorded.class).size() == 3 && helpdesk(customer).size() == 1);
        assertThat(of(output(customer), FeedbackRecorded.class)).extracting(FeedbackRecorded::orderId, FeedbackRecorded::score)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("ord-a-" + customer, 10),
                        org.assertj.core.groups.Tuple.tuple("ord-b-" + customer, 9),
                        org.assertj.core.groups.Tuple.tuple("ord-c-" + customer, 0));
        assertThat(answer(customer, "ord-a-" + customer)).contains(10);
        awaitTrigger(customer, TriggerType.SERVICE_RECOVERY);
        assertThat(triggers(customer)).filteredOn(t -> t.triggerType() == TriggerType.REFERRAL_INVITATION)
                .hasSize(1).allMatch(t -> t.sourceEventId().equals(promoter.id()));
        // This shop lets its helpdesk read comments; no other output carries any comment.
        assertThat(helpdesk(customer).get(0).comment()).isEqualTo("Never again");
        assertThat(rawAnalystOutput(customer)).doesNotContain("Great shop", "Never again", "changed my mind");
        assertThat(storedComment(customer, "ord-c-" + customer)).contains("Never again");

        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(customer, new CustomerErased(Instant.now())));
        await().atMost(Duration.ofSeconds(30)).until(() -> storedComment(customer, "ord-c-" + customer).isEmpty()
                && storedComment(customer, "ord-a-" + customer).isEmpty());
        assertThat(answer(customer, "ord-c-" + customer)).contains(0); // the score stays for the figures
    }

    private void publishProgramme() {
        if (versions.timeline().versions().size() == 1) {
            return;
        }
        ProgrammeDocument initial = ProgrammeJson.initial();
        ProgrammeDocument.Triggers t = initial.triggers();
        ProgrammeDocument.Feedback f = t.feedback();
        ProgrammeDocument feedbackMails = new ProgrammeDocument(initial.timeZone(), initial.reportingCurrency(),
                initial.currencies(), initial.tiers(), initial.earning(), initial.bonuses(), initial.redemption(),
                initial.pending(), initial.expiry(), new ProgrammeDocument.Triggers(t.delayApology(), t.birthday(),
                t.winBack(), t.reviewRequest(), t.reviewThanks(), t.referralInvitation(), t.tierUp(),
                t.downgradeWarning(), t.pointsExpiring(), new ProgrammeDocument.Feedback(
                ProgrammeDocument.FeedbackRequest.FEEDBACK, f.points(), f.apologyVoucher(), f.linkValidFor())),
                new ProgrammeDocument.Guards(BigDecimal.ZERO, initial.guards().frequencyCap(),
                        initial.guards().frequencyCapWindow(), null), initial.rewards());
        String programme = FeedbackProgramme.PROGRAMME;
        kafka.publish(Topics.RETENTION_PROGRAMME, EventEnvelope.of(UUID.randomUUID().toString(), "/test/programme",
                Instant.now(), programme, new ProgrammePublished(programme, List.of(new ProgrammeVersion(1,
                        BASE.minus(Duration.ofDays(30)), BASE.minus(Duration.ofDays(31)), "admin", "test", null,
                        feedbackMails)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> versions.timeline().versions().size() == 1);
    }

    private static EventEnvelope<FeedbackSubmitted> feedback(String customer, String orderId, int score,
                                                             String comment) {
        return TestEvents.envelope(customer, new FeedbackSubmitted(orderId, score, comment, FeedbackChannel.WEB,
                Instant.now()));
    }

    private static io.restassured.specification.RequestSpecification link(String token, String score) {
        return RestAssured.given().redirects().follow(false).queryParam("token", token).queryParam("score", score);
    }

    private static Response comment(String token, String comment) {
        return RestAssured.given().queryParam("token", token).contentType("application/x-www-form-urlencoded")
                .formParam("comment", comment).post("/feedback/comment");
    }

    String registered() {
        String customer = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));
        await().atMost(Duration.ofSeconds(30)).until(() -> query("SELECT profile_known FROM campaign_customer"
                + " WHERE customer_id = $1", customer).map(Boolean.class::cast).orElse(false));
        return customer;
    }

    boolean deliveredSeen(String customer) {
        return query("SELECT count(*) FROM campaign_order WHERE customer_id = $1 AND delivered_at IS NOT NULL",
                customer).map(v -> ((Number) v).intValue() > 0).orElse(false);
    }

    Optional<Integer> answer(String customer, String orderId) {
        var rows = pool.preparedQuery("SELECT score FROM feedback WHERE customer_id = $1 AND order_id = $2")
                .execute(Tuple.of(customer, orderId)).await().atMost(Duration.ofSeconds(10));
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(it.next().getInteger(0)) : Optional.empty();
    }

    Optional<String> storedComment(String customer, String orderId) {
        var rows = pool.preparedQuery("SELECT comment FROM feedback WHERE customer_id = $1 AND order_id = $2")
                .execute(Tuple.of(customer, orderId)).await().atMost(Duration.ofSeconds(10));
        var it = rows.iterator();
        return it.hasNext() ? Optional.ofNullable(it.next().getString(0)) : Optional.empty();
    }

    private Optional<Object> query(String sql, String customer) {
        var rows = pool.preparedQuery(sql).execute(Tuple.of(customer)).await().atMost(Duration.ofSeconds(10));
        var it = rows.iterator();
        return it.hasNext() ? Optional.ofNullable(it.next().getValue(0)) : Optional.empty();
    }

    static List<EventData> output(String customer) {
        return decoded(Topics.RETENTION_TRIGGERS, customer);
    }

    static List<ServiceRecoveryRequested> helpdesk(String customer) {
        return of(decoded(Topics.RETENTION_HELPDESK, customer), ServiceRecoveryRequested.class);
    }

    /** What campaign-service published for the customer on its analysts' topic, as bytes on the wire. */
    static String rawAnalystOutput(String customer) {
        StringBuilder raw = new StringBuilder();
        kafka.readAll(Topics.RETENTION_TRIGGERS).stream().filter(r -> customer.equals(r.key()))
                .forEach(r -> raw.append(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)));
        return raw.toString();
    }

    private static List<EventData> decoded(String topic, String customer) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(topic).stream().filter(r -> customer.equals(r.key()))
                .map(r -> switch (decoder.decode(topic, r.key(), r.value(), Map.of())) {
                    case DecodeResult.Decoded decoded -> (EventData) decoded.event().data();
                    case DecodeResult.Rejected rejected -> throw new AssertionError("not a valid event on " + topic
                            + ": " + rejected + " " + new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
                })
                .toList();
    }

    static <T extends EventData> List<T> of(List<EventData> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static List<TriggerFired> triggers(String customer) {
        return of(output(customer), TriggerFired.class);
    }

    static TriggerFired awaitTrigger(String customer, TriggerType type) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> triggers(customer).stream().anyMatch(t -> t.triggerType() == type));
        return triggers(customer).stream().filter(t -> t.triggerType() == type).findFirst().orElseThrow();
    }

    static <T extends EventData> T awaitOne(String customer, Class<T> type) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !of(output(customer), type).isEmpty());
        return of(output(customer), type).get(0);
    }

    static ServiceRecoveryRequested awaitHelpdesk(String customer) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !helpdesk(customer).isEmpty());
        return helpdesk(customer).get(0);
    }
}
