package dev.retention.campaigns.domain;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.CartLine;
import dev.retention.contracts.events.CartUpdated;
import dev.retention.contracts.events.CheckoutStarted;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.OrderLine;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cart reminder's timer rules over any sequence of cart changes (in or out of order), checkouts, orders,
 * emptied carts, erasures and passing time, under the built-in programme (first reminder 4 hours after the last
 * activity, the second with a voucher after 48 hours). A model of what the cart should be says when a reminder is
 * allowed and when one is owed.
 */
class CartReminderRulesTest {

    private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");
    private static final String CUSTOMER = "c-1";
    private static final String CART = "cart-1";
    private static final CampaignPolicy POLICY = CampaignPolicy.from(ProgrammeJson.initial(), ZoneOffset.UTC);
    private static final Duration FIRST = Duration.ofHours(4);
    private static final Duration SECOND = Duration.ofHours(48);

    private final CampaignRules rules = new CampaignRules(POLICY, new VoucherCodeGenerator());

    /** One step of a scenario; {@code hours} moves the clock forward first. */
    sealed interface Action permits Update, Checkout, Order, Erase, Tick {
        int hours();
    }

    /** A change made {@code lagMinutes} before it is delivered; no items is an emptied cart. */
    record Update(int hours, int lagMinutes, int items) implements Action {
    }

    record Checkout(int hours, int lagMinutes) implements Action {
    }

    record Order(int hours) implements Action {
    }

    record Erase(int hours) implements Action {
    }

    /** The job runs. */
    record Tick(int hours) implements Action {
    }

    @Property(tries = 500)
    void atMostOneReminderPerStepAndNoneAfterAnOrderAnEmptyCartOrAnErasure(
            @ForAll("scenarios") List<Action> scenario) {
        Run run = new Run();
        for (Action action : scenario) {
            run.apply(action);
        }
        run.apply(new Tick(24 * 30)); // a month later: everything owed has been sent

        List<String> keys = run.reminders.stream().map(TriggerRequest::dedupeKey).toList();
        assertThat(new HashSet<>(keys)).as("one reminder per step").hasSameSizeAs(keys);
        assertThat(keys).allMatch(key -> key.equals(CART + ":1") || key.equals(CART + ":2"));
        if (run.open && !run.lines.isEmpty()) {
            // Never closed and not empty at the end: both steps were owed (a month is longer than 48 hours).
            assertThat(keys).as("owed reminders").containsExactlyInAnyOrder(CART + ":1", CART + ":2");
        }
    }

    @Example
    void aReminderListsTheCartsItemsAndTheSecondCarriesTheVoucher() {
        Run run = new Run();
        run.apply(new Update(0, 0, 2));
        run.apply(new Tick(3));
        assertThat(run.reminders).isEmpty();
        run.apply(new Tick(1));
        assertThat(run.reminders).singleElement().satisfies(first -> {
            assertThat(first.type()).isEqualTo(TriggerType.CART_REMINDER);
            assertThat(first.offer()).isNull();
            assertThat(first.cart().cartId()).isEqualTo(CART);
            assertThat(first.cart().lines()).extracting(CartLine::sku).containsExactly("sku-0", "sku-1");
            assertThat(first.businessTime()).isEqualTo(T0.plus(FIRST));
        });
        run.apply(new Tick(44));
        assertThat(run.reminders).hasSize(2);
        TriggerRequest second = run.reminders.get(1);
        assertThat(second.offer().percentOff()).isEqualByComparingTo("10");
        assertThat(second.dedupeKey()).isEqualTo(CART + ":2");
    }

    @Example
    void aCartReminderIsMarketingHeldOutCappedAndWithoutConsentWithheldLikeTheOthers() {
        TriggerGuards guards = new TriggerGuards(new BigDecimal("0.10"), "salt", 3, Duration.ofDays(7));
        String heldOut = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "c-" + i).filter(guards::inHoldout)
                .findFirst().orElseThrow();
        String member = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "c-" + i)
                .filter(c -> !guards.inHoldout(c)).findFirst().orElseThrow();
        TriggerRequest reminder = TriggerRequest.of(TriggerType.CART_REMINDER, heldOut, CART + ":1", "cart left",
                "e-1");

        assertThat(reminder.marketing()).isTrue();
        assertThat(guards.decide(reminder, true, 0)).isEqualTo(TriggerOutcome.HELD_OUT);
        TriggerRequest forMember = TriggerRequest.of(TriggerType.CART_REMINDER, member, CART + ":1", "cart left",
                "e-1");
        assertThat(guards.decide(forMember, true, 0)).isEqualTo(TriggerOutcome.FIRED);
        assertThat(guards.decide(forMember, false, 0)).isEqualTo(TriggerOutcome.NO_CONSENT);
        assertThat(guards.decide(forMember, true, 3)).isEqualTo(TriggerOutcome.CAPPED);
    }

    @Example
    void aProgrammeVersionWithoutCartRemindersHasNoneAndASecondStepMustComeLater() {
        ProgrammeDocument d = ProgrammeJson.initial();
        ProgrammeDocument.Triggers t = d.triggers();
        ProgrammeDocument.Triggers without = new ProgrammeDocument.Triggers(t.delayApology(), t.birthday(),
                t.winBack(), t.reviewRequest(), t.reviewThanks(), t.referralInvitation(), t.tierUp(),
                t.downgradeWarning(), t.pointsExpiring());
        CampaignPolicy earlier = CampaignPolicy.from(withTriggers(d, without), ZoneOffset.UTC);
        assertThat(earlier.on(TriggerType.CART_REMINDER)).isFalse();
        assertThat(earlier.cartReminder().steps()).isEmpty();

        ProgrammeDocument.Triggers sooner = new ProgrammeDocument.Triggers(t.delayApology(), t.birthday(),
                t.winBack(), t.reviewRequest(), t.reviewThanks(), t.referralInvitation(), t.tierUp(),
                t.downgradeWarning(), t.pointsExpiring(), new ProgrammeDocument.CartReminder(true, Duration.ofHours(4),
                new ProgrammeDocument.CartReminderStep(Duration.ofHours(2),
                        t.cartReminder().secondStep().voucher())));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> CampaignPolicy.from(withTriggers(d, sooner), ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("triggers.cartReminder");
    }

    private static ProgrammeDocument withTriggers(ProgrammeDocument d, ProgrammeDocument.Triggers triggers) {
        return new ProgrammeDocument(d.timeZone(), d.reportingCurrency(), d.currencies(), d.tiers(), d.earning(),
                d.bonuses(), d.redemption(), d.pending(), d.expiry(), triggers, d.guards());
    }

    @Example
    void anOlderChangeDeliveredLateChangesNothing() {
        Run run = new Run();
        run.apply(new Update(0, 0, 2));
        run.apply(new Update(1, 120, 0)); // emptied two hours ago, i.e. before the change already applied
        run.apply(new Tick(4));
        assertThat(run.reminders).singleElement()
                .satisfies(r -> assertThat(r.cart().lines()).hasSize(2));
    }

    @Example
    void activityMovesTheTimer() {
        Run run = new Run();
        run.apply(new Update(0, 0, 1));
        run.apply(new Checkout(3, 0));
        run.apply(new Tick(2)); // 5 hours after the change, 2 after the checkout
        assertThat(run.reminders).isEmpty();
        run.apply(new Tick(2));
        assertThat(run.reminders).hasSize(1);
    }

    @Provide
    Arbitrary<List<Action>> scenarios() {
        Arbitrary<Integer> hours = Arbitraries.integers().between(0, 30);
        Arbitrary<Integer> lag = Arbitraries.integers().between(0, 600);
        Arbitrary<Action> update = Combinators.combine(hours, lag, Arbitraries.integers().between(0, 3))
                .as(Update::new);
        Arbitrary<Action> checkout = Combinators.combine(hours, lag).as(Checkout::new);
        Arbitrary<Action> order = hours.map(Order::new);
        Arbitrary<Action> erase = hours.map(Erase::new);
        Arbitrary<Action> tick = Arbitraries.integers().between(1, 60).map(Tick::new);
        return Arbitraries.frequencyOf(Tuple.of(6, update), Tuple.of(2, checkout), Tuple.of(1, order),
                Tuple.of(1, erase), Tuple.of(5, tick)).list().ofMaxSize(25);
    }

    /** The rules and a model of the cart side by side; each reminder is checked against the model when it comes. */
    private final class Run {
        final CustomerState customer = new CustomerState(CUSTOMER);
        final CampaignState state = new CampaignState(Map.of(CUSTOMER, customer), Map.of(), Map.of());
        final List<TriggerRequest> reminders = new ArrayList<>();
        Instant now = T0;
        // The model: open until an order or erasure; the newest change's time and lines; the last activity.
        boolean open = true;
        Instant newestChange;
        List<CartLine> lines = List.of();
        Instant lastActivity;
        final Set<Integer> sent = new HashSet<>();

        void apply(Action action) {
            now = now.plus(Duration.ofHours(action.hours()));
            switch (action) {
                case Update u -> {
                    Instant at = now.minus(Duration.ofMinutes(u.lagMinutes()));
                    List<CartLine> newLines = lines(u.items());
                    event(new CartUpdated(CART, newLines, at));
                    if (open && (newestChange == null || at.isAfter(newestChange))) {
                        newestChange = at;
                        lines = newLines;
                        activity(at);
                    }
                }
                case Checkout c -> {
                    Instant at = now.minus(Duration.ofMinutes(c.lagMinutes()));
                    event(new CheckoutStarted(CART, at));
                    if (open) {
                        activity(at);
                    }
                }
                case Order o -> {
                    event(new OrderPlaced("o-" + UUID.randomUUID(), now, "web", "EUR",
                            List.of(new OrderLine("l-1", "sku-0", 1, new BigDecimal("10.00"),
                                    new BigDecimal("10.00"))), new BigDecimal("10.00"), BigDecimal.ZERO,
                            BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("10.00"), 0, BigDecimal.ZERO, null,
                            CART));
                    open = false;
                }
                case Erase e -> {
                    event(new CustomerErased(now));
                    open = false;
                }
                case Tick t -> runJob();
            }
        }

        private void activity(Instant at) {
            if (lastActivity == null || at.isAfter(lastActivity)) {
                lastActivity = at;
            }
        }

        private void event(EventData data) {
            EventEnvelope<?> event = EventEnvelope.of(UUID.randomUUID().toString(), "/test", now, CUSTOMER, data);
            assertThat(rules.apply(event, state, now)).as("no event asks for a cart reminder")
                    .noneMatch(request -> request.type() == TriggerType.CART_REMINDER);
        }

        /** As the job does: every due cart until none is due. */
        private void runJob() {
            for (int guard = 0; guard < 10; guard++) {
                List<TriggerRequest> asked = new ArrayList<>();
                boolean due = false;
                for (CartTimer cart : state.cartsOf(CUSTOMER)) {
                    if (cart.dueAt() != null && !cart.dueAt().isAfter(now)) {
                        due = true;
                        rules.cartReminderDue(cart, customer, now).ifPresent(asked::add);
                    }
                }
                asked.forEach(this::check);
                reminders.addAll(asked);
                if (!due) {
                    return;
                }
            }
            throw new AssertionError("the job found carts due ten times over");
        }

        /** A reminder only for an open cart with items, not before its step's time, each step once. */
        private void check(TriggerRequest reminder) {
            assertThat(open).as("reminder after an order or erasure").isTrue();
            assertThat(lines).as("reminder of an empty cart").isNotEmpty();
            assertThat(reminder.cart().lines()).isEqualTo(lines);
            int step = Integer.parseInt(reminder.attributes().get("step"));
            assertThat(sent.add(step)).as("step %s twice", step).isTrue();
            Duration after = step == 1 ? FIRST : SECOND;
            assertThat(reminder.businessTime()).as("due time").isEqualTo(lastActivity.plus(after));
            assertThat(now).isAfterOrEqualTo(lastActivity.plus(after));
        }
    }

    private static List<CartLine> lines(int items) {
        List<CartLine> lines = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            lines.add(new CartLine("sku-" + i, i + 1, Money.of("19.99", "EUR")));
        }
        return lines;
    }
}
