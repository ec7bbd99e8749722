package dev.retention.campaigns;

import dev.retention.campaigns.application.CheckoutVouchers;
import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.events.VoucherRedeemed;
import dev.retention.contracts.events.VoucherRejected;
import dev.retention.contracts.events.VoucherReleased;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Vouchers at checkout on the real broker and database: validations (a dry run), redemption by {@code order.placed}
 * and through the API ({@code voucher.redeemed}), refusals ({@code voucher.rejected}) and release on cancel
 * ({@code voucher.released}).
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class VoucherCheckoutFlowTest {

    private static KafkaTestClient kafka;

    @Inject
    CheckoutVouchers checkout;
    @Inject
    MovableClock clock;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_TRIGGERS);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void validationsAreADryRunThatAnswersTheSameUntilARedemption() {
        String customer = "c-" + UUID.randomUUID();
        String code = VoucherAndCampaignApiTest.apologyVoucher(kafka, customer);

        Response first = validate(customer, code.toLowerCase(), "50.00", "EUR", "4.95");
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        JsonPath answer = first.jsonPath();
        assertThat(answer.getBoolean("valid")).isTrue();
        assertThat(answer.getString("code")).isEqualTo(code);
        assertThat(answer.getString("discount.amount")).isEqualTo("10.00");
        assertThat(answer.getString("discount.currency")).isEqualTo("EUR");
        assertThat(answer.getBoolean("freeShipping")).isTrue();
        assertThat(answer.getString("shippingDiscount.amount")).isEqualTo("4.95");
        assertThat(answer.getString("reason")).isNull();
        // A fixed value takes off at most the goods.
        assertThat(validate(customer, code, "6.50", "EUR", null).jsonPath().getString("discount.amount"))
                .isEqualTo("6.50");
        // Twice the same, and nothing changed: still active, and redeemable.
        assertThat(validate(customer, code.toLowerCase(), "50.00", "EUR", "4.95").asString()).isEqualTo(first.asString());
        assertThat(Api.admin().get("/customers/{id}/vouchers", customer).jsonPath().getString("[0].status"))
                .isEqualTo("ACTIVE");

        JsonPath wrongCurrency = validate(customer, code, "50.00", "USD", null).jsonPath();
        assertThat(wrongCurrency.getBoolean("valid")).isFalse();
        assertThat(wrongCurrency.getString("reason")).isEqualTo("CURRENCY_MISMATCH");
        assertThat(wrongCurrency.getString("discount")).isNull();
        String stranger = "c-" + UUID.randomUUID();
        assertThat(validate(stranger, code, "50.00", "EUR", null).jsonPath().getString("reason"))
                .isEqualTo("UNKNOWN_VOUCHER");
        // Staff may validate for a customer; a storefront only for the customer its token names.
        assertThat(Api.support().contentType(ContentType.JSON).body(body(customer, "50.00", "EUR", null))
                .post("/vouchers/{code}/validations", code).jsonPath().getBoolean("valid")).isTrue();
        Api.assertRefused(Api.storefront(stranger).contentType(ContentType.JSON).body(body(customer, "50.00", "EUR",
                null)).post("/vouchers/{code}/validations", code), 403, "NOT_YOUR_CUSTOMER");
        Response mixed = validate(customer, code, "50.00", "EUR", "4.95", "GBP");
        assertThat(mixed.statusCode()).isEqualTo(400);
        assertThat(mixed.jsonPath().getList("violations.field")).containsExactly("shippingTotal.currency");

        String order = "ord-" + UUID.randomUUID();
        assertThat(redeem(code, customer, order).statusCode()).isEqualTo(200);
        JsonPath after = validate(customer, code, "50.00", "EUR", null).jsonPath();
        assertThat(after.getBoolean("valid")).isFalse();
        assertThat(after.getString("reason")).isEqualTo("ALREADY_REDEEMED");
        assertThat(after.getString("detail")).contains(order);
    }

    @Test
    void validationsCountAgainstTheAttemptLimitOfTheCode() {
        String code = VoucherAndCampaignApiTest.apologyVoucher(kafka, "c-" + UUID.randomUUID());
        clock.ensureLeftOfWindow(Duration.ofMinutes(1), Duration.ofSeconds(20));
        try {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                statuses.add(validate("c-probe-" + i, code, "50.00", "EUR", null).statusCode());
            }
            assertThat(statuses).containsOnly(200);
            // The eleventh try of the code, a redemption this time: validations and redemptions share the limit.
            Response blocked = redeem(code, "c-probe-10", "o-1");
            assertThat(blocked.statusCode()).isEqualTo(429);
            assertThat(blocked.jsonPath().getString("code")).isEqualTo("TOO_MANY_ATTEMPTS");
        } finally {
            clock.reset();
        }
    }

    @Test
    void anApiRedemptionPublishesVoucherRedeemedFromTheApiOnce() {
        String customer = "c-" + UUID.randomUUID();
        String code = VoucherAndCampaignApiTest.apologyVoucher(kafka, customer);
        String order = "ord-" + UUID.randomUUID();

        assertThat(redeem(code, customer, order).statusCode()).isEqualTo(200);
        assertThat(redeem(code, customer, order).statusCode()).isEqualTo(200); // a retried checkout

        VoucherRedeemed redeemed = (VoucherRedeemed) awaitVoucherEvents(customer, 1).get(0).data();
        TriggerFired apology = apology(customer);
        assertThat(redeemed.code()).isEqualTo(code);
        assertThat(redeemed.source()).isEqualTo(VoucherRedeemed.Source.API);
        assertThat(redeemed.orderId()).isEqualTo(order);
        assertThat(redeemed.triggerId()).isEqualTo(apology.triggerId());
        assertThat(redeemed.triggerType()).isEqualTo(TriggerType.DELAY_APOLOGY);
        assertThat(redeemed.orderValue()).isEqualTo(Money.of("20.00", "EUR"));
        assertThat(redeemed.discount()).isEqualTo(Money.of("10.00", "EUR"));

        // The order event of the same checkout is the same redemption: nothing new.
        kafka.publish(Topics.ORDERS, withVouchers(TestEvents.orderPlaced(customer).orderId(order).build(), code));
        String marker = "ord-" + UUID.randomUUID();
        kafka.publish(Topics.ORDERS, withVouchers(TestEvents.orderPlaced(customer).orderId(marker).build(), "NOPE"));
        List<EventEnvelope<?>> events = awaitVoucherEvents(customer, 2);
        assertThat(events.get(1).data()).isInstanceOf(VoucherRejected.class);
        assertThat(((VoucherRejected) events.get(1).data()).orderId()).isEqualTo(marker);
    }

    @Test
    void anApiRefusalIsPublishedAsRejectedFromTheApiOnceWhileValidationsPublishNothing() {
        String customer = "c-" + UUID.randomUUID();
        String code = VoucherAndCampaignApiTest.apologyVoucher(kafka, customer);
        String unknown = "nope-" + UUID.randomUUID().toString().substring(0, 8);
        String order = "ord-" + UUID.randomUUID();
        String otherOrder = "ord-" + UUID.randomUUID();
        String lastOrder = "ord-" + UUID.randomUUID();
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler logs = capture(logged);
        java.util.logging.Logger.getLogger("").addHandler(logs);
        try {
            // Each refusal retried as a checkout would: the answer again, but one event.
            for (int i = 0; i < 2; i++) {
                Api.assertRefused(redeem(unknown, customer, order), 404, "UNKNOWN_VOUCHER");
            }
            for (int i = 0; i < 2; i++) {
                Api.assertRefused(redeem(code, customer, order, "20.00", "USD"), 422, "CURRENCY_MISMATCH");
            }
            // Dry runs, refused and valid: they publish nothing (the redemption after them is the next event).
            // Ten calls of this customer in all: the attempt limit per customer and minute.
            assertThat(validate(customer, code, "20.00", "USD", null).jsonPath().getString("reason"))
                    .isEqualTo("CURRENCY_MISMATCH");
            assertThat(validate(customer, code, "20.00", "EUR", null).jsonPath().getBoolean("valid")).isTrue();
            assertThat(redeem(code, customer, order).statusCode()).isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                Api.assertRefused(redeem(code, customer, otherOrder), 409, "ALREADY_REDEEMED");
            }
            // The last refusal: once it is on the topic, so is everything before it (the outbox keeps the order).
            Api.assertRefused(redeem(unknown, customer, lastOrder), 404, "UNKNOWN_VOUCHER");

            List<EventEnvelope<?>> events = awaitVoucherEvents(customer, 5);
            assertThat(events.get(2).data()).isInstanceOf(VoucherRedeemed.class);
            List<VoucherRejected> rejected = events.stream().map(EventEnvelope::data)
                    .filter(VoucherRejected.class::isInstance).map(VoucherRejected.class::cast).toList();
            assertThat(rejected).extracting(VoucherRejected::code, VoucherRejected::orderId,
                            VoucherRejected::reason, VoucherRejected::redeemedOrderId)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(unknown, order,
                                    VoucherRejected.Reason.UNKNOWN_VOUCHER, null),
                            org.assertj.core.groups.Tuple.tuple(code, order,
                                    VoucherRejected.Reason.CURRENCY_MISMATCH, null),
                            org.assertj.core.groups.Tuple.tuple(code, otherOrder,
                                    VoucherRejected.Reason.ALREADY_REDEEMED, order),
                            org.assertj.core.groups.Tuple.tuple(unknown, lastOrder,
                                    VoucherRejected.Reason.UNKNOWN_VOUCHER, null));
            assertThat(rejected).allSatisfy(r -> {
                assertThat(r.source()).isEqualTo(VoucherRejected.Source.API);
                assertThat(r.detail()).isNotBlank();
            });
            assertThat(events).extracting(EventEnvelope::id).doesNotHaveDuplicates();
            assertThat(voucher(customer).getString("[0].redeemedOrderId")).isEqualTo(order);
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(logs);
        }
        // The codes are in the answers and the events, never in the service's log.
        assertThat(logged).noneMatch(line -> line.contains(code) || line.contains(unknown));
    }

    @Test
    void anOrderRedeemsItsVoucherOnceAndItsCancellationReleasesIt() {
        String customer = "c-" + UUID.randomUUID();
        String code = VoucherAndCampaignApiTest.apologyVoucher(kafka, customer);
        EventEnvelope<OrderPlaced> first = withVouchers(TestEvents.orderPlaced(customer)
                .line("sku-1", 2, "20.00").build(), code.toLowerCase(), code);
        String firstOrder = first.data().orderId();

        kafka.publish(Topics.ORDERS, first);
        VoucherRedeemed redeemed = (VoucherRedeemed) awaitVoucherEvents(customer, 1).get(0).data();
        assertThat(redeemed.code()).isEqualTo(code);
        assertThat(redeemed.source()).isEqualTo(VoucherRedeemed.Source.ORDER);
        assertThat(redeemed.orderId()).isEqualTo(firstOrder);
        assertThat(redeemed.orderValue()).isEqualTo(Money.of("40.00", "EUR"));
        assertThat(redeemed.discount()).isEqualTo(Money.of("10.00", "EUR"));
        assertThat(redeemed.triggerType()).isEqualTo(TriggerType.DELAY_APOLOGY);
        assertThat(redeemed.triggerId()).isEqualTo(apology(customer).triggerId());
        assertThat(redeemed.redeemedAt()).isEqualTo(first.data().placedAt());

        // Another order with the same code: refused, naming the order that has it; the voucher stays with it.
        EventEnvelope<OrderPlaced> second = withVouchers(TestEvents.orderPlaced(customer).build(), code);
        kafka.publish(Topics.ORDERS, second);
        VoucherRejected rejected = (VoucherRejected) awaitVoucherEvents(customer, 2).get(1).data();
        assertThat(rejected.reason()).isEqualTo(VoucherRejected.Reason.ALREADY_REDEEMED);
        assertThat(rejected.orderId()).isEqualTo(second.data().orderId());
        assertThat(rejected.redeemedOrderId()).isEqualTo(firstOrder);
        assertThat(voucher(customer).getString("[0].redeemedOrderId")).isEqualTo(firstOrder);

        // The first order again under another event id: the same redemption, nothing new. A partial return
        // releases nothing. The marker order after them shows they were consumed.
        kafka.publish(Topics.ORDERS, withVouchers(TestEvents.orderPlaced(customer).orderId(firstOrder)
                .line("sku-1", 2, "20.00").build(), code));
        kafka.publish(Topics.ORDERS, TestEvents.orderReturned(customer, firstOrder, "20.00", "EUR"));
        String marker = "ord-" + UUID.randomUUID();
        kafka.publish(Topics.ORDERS, withVouchers(TestEvents.orderPlaced(customer).orderId(marker).build(),
                "NOPE-" + UUID.randomUUID()));
        List<EventEnvelope<?>> events = awaitVoucherEvents(customer, 3);
        assertThat(((VoucherRejected) events.get(2).data()).orderId()).isEqualTo(marker);
        assertThat(voucher(customer).getString("[0].status")).isEqualTo("REDEEMED");

        // The cancellation of the first order gives it back, once; then another order can use it.
        var cancelled = TestEvents.orderCancelled(customer, firstOrder);
        kafka.publish(Topics.ORDERS, cancelled);
        kafka.publish(Topics.ORDERS, TestEvents.orderCancelled(customer, firstOrder));
        VoucherReleased released = (VoucherReleased) awaitVoucherEvents(customer, 4).get(3).data();
        assertThat(released.code()).isEqualTo(code);
        assertThat(released.orderId()).isEqualTo(firstOrder);
        assertThat(released.triggerId()).isEqualTo(redeemed.triggerId());
        assertThat(voucher(customer).getString("[0].status")).isEqualTo("ACTIVE");

        // This one had 5.00 off its lines besides: the voucher is judged against the goods before discounts.
        EventEnvelope<OrderPlaced> third = withDiscount(withVouchers(TestEvents.orderPlaced(customer)
                .line("sku-2", 1, "30.00").build(), code), "5.00");
        kafka.publish(Topics.ORDERS, third);
        VoucherRedeemed again = (VoucherRedeemed) awaitVoucherEvents(customer, 5).get(4).data();
        assertThat(again.orderId()).isEqualTo(third.data().orderId());
        assertThat(again.orderValue()).isEqualTo(Money.of("30.00", "EUR"));
        assertThat(voucher(customer).getString("[0].redeemedOrderId")).isEqualTo(third.data().orderId());
        // And a replay of the cancelled order does not take it back: its vouchers were decided.
        kafka.publish(Topics.ORDERS, withVouchers(TestEvents.orderPlaced(customer).orderId(firstOrder).build(), code));
        String lastMarker = "ord-" + UUID.randomUUID();
        kafka.publish(Topics.ORDERS, withVouchers(TestEvents.orderPlaced(customer).orderId(lastMarker).build(),
                "NOPE"));
        List<EventEnvelope<?>> all = awaitVoucherEvents(customer, 6);
        assertThat(((VoucherRejected) all.get(5).data()).orderId()).isEqualTo(lastMarker);
        assertThat(all).extracting(EventEnvelope::id).doesNotHaveDuplicates();
    }

    @Test
    void unknownExpiredAndForeignCodesAreRejectedWithTheirReason() {
        String customer = "c-" + UUID.randomUUID();
        String someoneElse = "c-" + UUID.randomUUID();
        String mine = VoucherAndCampaignApiTest.apologyVoucher(kafka, customer);
        String theirs = VoucherAndCampaignApiTest.apologyVoucher(kafka, someoneElse);

        EventEnvelope<OrderPlaced> order = withVouchers(TestEvents.orderPlaced(customer).build(), "no-such-code",
                theirs);
        kafka.publish(Topics.ORDERS, order);
        // Expiry is judged at placedAt: an order placed after the voucher's 30 days cannot use it.
        EventEnvelope<OrderPlaced> late = withVouchers(TestEvents.orderPlaced(customer)
                .placedAt(Instant.now().plus(Duration.ofDays(31))).build(), mine);
        kafka.publish(Topics.ORDERS, late);
        EventEnvelope<OrderPlaced> inDollars = withVouchers(TestEvents.orderPlaced(customer).currency("USD").build(),
                mine);
        kafka.publish(Topics.ORDERS, inDollars);

        List<VoucherRejected> rejected = awaitVoucherEvents(customer, 4).stream()
                .map(e -> (VoucherRejected) e.data()).toList();
        assertThat(rejected).extracting(VoucherRejected::code, VoucherRejected::reason, VoucherRejected::orderId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("no-such-code", VoucherRejected.Reason.UNKNOWN_VOUCHER,
                                order.data().orderId()),
                        org.assertj.core.groups.Tuple.tuple(theirs, VoucherRejected.Reason.UNKNOWN_VOUCHER,
                                order.data().orderId()),
                        org.assertj.core.groups.Tuple.tuple(mine, VoucherRejected.Reason.EXPIRED,
                                late.data().orderId()),
                        org.assertj.core.groups.Tuple.tuple(mine, VoucherRejected.Reason.CURRENCY_MISMATCH,
                                inDollars.data().orderId()));
        assertThat(rejected).allSatisfy(r -> assertThat(r.redeemedOrderId()).isNull());
        assertThat(voucher(customer).getString("[0].status")).isEqualTo("ACTIVE");
        assertThat(voucher(someoneElse).getString("[0].status")).isEqualTo("ACTIVE");
        assertThat(voucherEvents(someoneElse)).isEmpty();
    }

    @Test
    void aBatchWithoutVouchersNorCancellationsAsksTheDatabaseNothing() {
        String customer = "c-" + UUID.randomUUID();
        List<EventEnvelope<?>> batch = List.of(TestEvents.orderPlaced(customer).build(),
                TestEvents.orderReturned(customer, "ord-1", "10.00", "EUR"));
        CheckoutVouchers.Plan plan = checkout.plan(batch, new dev.retention.campaigns.domain.CampaignState(
                Map.of(), Map.of(), Map.of()));

        assertThat(plan.nothing()).isTrue();
        // No connection at all: a statement would fail.
        assertThat(checkout.apply(null, plan).await().atMost(Duration.ofSeconds(5))).isEmpty();
    }

    // ---- helpers ----

    /** The order with the voucher codes, as the shop typed them. */
    static EventEnvelope<OrderPlaced> withVouchers(EventEnvelope<OrderPlaced> order, String... codes) {
        OrderPlaced d = order.data();
        return EventEnvelope.of(order.id(), order.source(), order.time(), order.subject(), new OrderPlaced(
                d.orderId(), d.placedAt(), d.channel(), d.currency(), d.lines(), d.merchandiseTotal(),
                d.shippingTotal(), d.taxTotal(), d.discountTotal(), d.orderTotal(), d.pointsRedeemed(),
                d.pointsRedeemedValue(), List.of(codes)));
    }

    /** The order with {@code discount} taken off its lines (merchandise and order total lower by as much). */
    static EventEnvelope<OrderPlaced> withDiscount(EventEnvelope<OrderPlaced> order, String discount) {
        OrderPlaced d = order.data();
        java.math.BigDecimal off = new java.math.BigDecimal(discount);
        return EventEnvelope.of(order.id(), order.source(), order.time(), order.subject(), new OrderPlaced(
                d.orderId(), d.placedAt(), d.channel(), d.currency(), d.lines(), d.merchandiseTotal().subtract(off),
                d.shippingTotal(), d.taxTotal(), off, d.orderTotal().subtract(off), d.pointsRedeemed(),
                d.pointsRedeemedValue(), d.vouchers()));
    }

    private static Map<String, Object> body(String customer, String amount, String currency, String shipping) {
        return shipping == null
                ? Map.of("customerId", customer, "orderValue", Map.of("amount", amount, "currency", currency))
                : Map.of("customerId", customer, "orderValue", Map.of("amount", amount, "currency", currency),
                        "shippingTotal", Map.of("amount", shipping, "currency", currency));
    }

    private static Response validate(String customer, String code, String amount, String currency,
                                     String shipping) {
        return Api.storefront(customer).contentType(ContentType.JSON).body(body(customer, amount, currency, shipping))
                .post("/vouchers/{code}/validations", code);
    }

    private static Response validate(String customer, String code, String amount, String currency, String shipping,
                                     String shippingCurrency) {
        return Api.storefront(customer).contentType(ContentType.JSON).body(Map.of("customerId", customer,
                        "orderValue", Map.of("amount", amount, "currency", currency),
                        "shippingTotal", Map.of("amount", shipping, "currency", shippingCurrency)))
                .post("/vouchers/{code}/validations", code);
    }

    private static Response redeem(String code, String customer, String order) {
        return redeem(code, customer, order, "20.00", "EUR");
    }

    private static Response redeem(String code, String customer, String order, String amount, String currency) {
        return Api.storefront(customer).contentType(ContentType.JSON)
                .body(Map.of("customerId", customer, "orderId", order,
                        "orderValue", Map.of("amount", amount, "currency", currency)))
                .post("/vouchers/{code}/redemptions", code);
    }

    /** Every record logged in this JVM (the service runs in it), with its stack trace, while it is attached. */
    private static java.util.logging.Handler capture(List<String> lines) {
        return new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
                if (record.getParameters() != null) {
                    for (Object parameter : record.getParameters()) {
                        line.append(' ').append(parameter);
                    }
                }
                for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                    line.append(' ').append(t);
                }
                lines.add(line.toString());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    private static JsonPath voucher(String customer) {
        return Api.admin().get("/customers/{id}/vouchers", customer).then().statusCode(200).extract().jsonPath();
    }

    private static List<EventEnvelope<?>> events(String customer) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(Topics.RETENTION_TRIGGERS).stream().filter(r -> customer.equals(r.key()))
                .map(r -> ((DecodeResult.Decoded) decoder.decode(Topics.RETENTION_TRIGGERS, r.key(), r.value(),
                        Map.of())).event())
                .<EventEnvelope<?>>map(e -> e)
                .toList();
    }

    private static List<EventEnvelope<?>> voucherEvents(String customer) {
        return events(customer).stream().filter(e -> isVoucherEvent(e.data())).toList();
    }

    private static boolean isVoucherEvent(EventData data) {
        return data instanceof VoucherRedeemed || data instanceof VoucherRejected || data instanceof VoucherReleased;
    }

    /** Exactly {@code count} voucher events of the customer, in the order published (one partition per customer). */
    private static List<EventEnvelope<?>> awaitVoucherEvents(String customer, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> voucherEvents(customer).size() >= count);
        List<EventEnvelope<?>> events = voucherEvents(customer);
        assertThat(events).as("voucher events of " + customer).hasSize(count);
        return events;
    }

    private static TriggerFired apology(String customer) {
        return events(customer).stream().map(EventEnvelope::data).filter(TriggerFired.class::isInstance)
                .map(TriggerFired.class::cast).filter(t -> t.triggerType() == TriggerType.DELAY_APOLOGY)
                .findFirst().orElseThrow();
    }
}
