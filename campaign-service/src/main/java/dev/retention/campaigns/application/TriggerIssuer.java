package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.CampaignProgramme;
import dev.retention.campaigns.domain.CustomerState;
import dev.retention.campaigns.domain.IssuedVoucher;
import dev.retention.campaigns.domain.TriggerDecision;
import dev.retention.campaigns.domain.TriggerGuards;
import dev.retention.campaigns.domain.TriggerOutcome;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.domain.VoucherCodeGenerator;
import dev.retention.campaigns.persistence.TriggerStore;
import dev.retention.campaigns.persistence.TriggerStore.LoggedTrigger;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerHeldOut;
import dev.retention.contracts.events.TriggerType;
import dev.retention.eventing.programme.ProgrammePolicies;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns what the rules asked for into what happens, inside the caller's transaction (it opens none): once-only (the
 * trigger log's unique type + dedupe key), the guards, the budgets, a voucher with a fresh code, and the
 * {@code trigger.fired} event, or {@code trigger.held-out} for a marketing trigger held out for the holdout group (the
 * control arm of uplift measurement). The caller holds the lock of every customer involved, so the frequency cap counts
 * every trigger. Each request is decided by its business time, never by the moment it is processed, so that a replay, a
 * consumer group reset, a late event or a fresh platform decides the same: the programme version in force then (the
 * guards, the monthly voucher budget, what its voucher is worth), the frequency cap over the customer's marketing
 * triggers fired with business times in the window that ends then, and the budget of the month (in the version's zone)
 * that holds it. Two times stay the processing time: the voucher's {@code issuedAt}/{@code expiresAt} (a voucher issued
 * for a late event is valid for its full term from when the customer gets it) and the log's {@code fired_at} (when it
 * was decided and sent, which the API and the notifications show).
 */
@ApplicationScoped
public class TriggerIssuer {

    static final String SOURCE = "/campaign-service";

    private final TriggerStore store;
    private final ProgrammePolicies<CampaignProgramme> programmes;
    private final VoucherCodeGenerator codes;
    private final MeterRegistry registry;
    private final Recommendations recommendations;

    public TriggerIssuer(TriggerStore store, ProgrammePolicies<CampaignProgramme> programmes,
                         VoucherCodeGenerator codes, MeterRegistry registry, Recommendations recommendations) {
        this.store = store;
        this.programmes = programmes;
        this.codes = codes;
        this.registry = registry;
        this.recommendations = recommendations;
    }

    /** What a call issued: the events to publish and how many vouchers (for budgets). */
    public record Issued(List<EventEnvelope<?>> events, int vouchers) {
        static final Issued NOTHING = new Issued(List.of(), 0);
    }

    public Uni<Issued> issue(SqlConnection tx, List<TriggerRequest> requested, Map<String, CustomerState> customers,
                             Instant now) {
        return issue(tx, requested, customers, now, Integer.MAX_VALUE);
    }

    /** @param budget at most this many vouchers; further offers are logged as over budget */
    public Uni<Issued> issue(SqlConnection tx, List<TriggerRequest> requested, Map<String, CustomerState> customers,
                             Instant now, int budget) {
        Map<String, TriggerRequest> distinct = new LinkedHashMap<>();
        for (TriggerRequest request : requested) {
            if (request.businessTime() == null) {
                throw new IllegalArgumentException(request.type().wireName() + " " + request.dedupeKey()
                        + " was asked for without a business time");
            }
            distinct.putIfAbsent(key(request), request);
        }
        if (distinct.isEmpty()) {
            return Uni.createFrom().item(Issued.NOTHING);
        }
        List<TriggerRequest> requests = List.copyOf(distinct.values());
        return history(tx, requests)
                .map(history -> decide(requests, history, customers, now, budget))
                .chain(decisions -> store.log(tx, decisions.triggers()).map(decisions::newlyLogged))
                .invoke(logged -> logged.triggers().forEach(this::count))
                .call(logged -> store.spendBudgetMonths(tx, logged.faceValueByMonth()))
                .call(logged -> store.insertVouchers(tx, logged.vouchers()))
                .chain(logged -> recommendations.attach(tx, logged.events(), logged.eventRequests())
                        .map(fired -> new Issued(withHeldOut(fired, logged.heldOut()), logged.vouchers().size())));
    }

    /**
     * What the log already knows of these requests: which were logged before, the business times of each customer's
     * fired marketing triggers that any request's cap window reaches, and the face value issued in each budget month
     * the requests fall in (empty, unread, when no budget applies to any of them).
     */
    private record History(Set<String> logged, Map<String, List<Instant>> firedLately,
                           Map<LocalDate, BigDecimal> spentByMonth) {
    }

    /** A voucher's face value counted in the budget month of its trigger's business time. */
    private record Spend(LocalDate month, BigDecimal faceValue) {
    }

    /** What the guards and the budget decided, before the log tells which of them are new. */
    private record Decisions(List<LoggedTrigger> triggers, Map<String, IssuedVoucher> vouchers,
                             Map<String, Spend> spends) {

        /** Only what this transaction logged first: another may have logged the same trigger concurrently. */
        Logged newlyLogged(Set<String> inserted) {
            List<LoggedTrigger> logged = new ArrayList<>();
            List<IssuedVoucher> newVouchers = new ArrayList<>();
            List<EventEnvelope<?>> events = new ArrayList<>();
            List<TriggerRequest> eventRequests = new ArrayList<>();
            List<EventEnvelope<?>> heldOut = new ArrayList<>();
            SortedMap<LocalDate, BigDecimal> faceValueByMonth = new TreeMap<>();
            for (LoggedTrigger trigger : triggers) {
                if (!inserted.contains(trigger.triggerId())) {
                    continue; // another transaction logged it first
                }
                logged.add(trigger);
                if (trigger.outcome() == TriggerOutcome.HELD_OUT) {
                    heldOut.add(heldOutEvent(trigger));
                    continue;
                }
                if (trigger.outcome() != TriggerOutcome.FIRED) {
                    continue;
                }
                IssuedVoucher voucher = vouchers.get(trigger.triggerId());
                if (voucher != null) {
                    newVouchers.add(voucher);
                    Spend spend = spends.get(trigger.triggerId());
                    faceValueByMonth.merge(spend.month(), spend.faceValue(), BigDecimal::add);
                }
                events.add(event(trigger, voucher));
                eventRequests.add(trigger.request());
            }
            return new Logged(logged, newVouchers, events, eventRequests, heldOut, faceValueByMonth);
        }
    }

    /**
     * {@code events}: the {@code trigger.fired} events, and {@code eventRequests} what each of them was issued for, in
     * the same order (recommendations are attached by position); {@code heldOut}: the {@code trigger.held-out} events,
     * kept apart so that they never shift that pairing.
     */
    private record Logged(List<LoggedTrigger> triggers, List<IssuedVoucher> vouchers,
                          List<EventEnvelope<?>> events, List<TriggerRequest> eventRequests,
                          List<EventEnvelope<?>> heldOut, SortedMap<LocalDate, BigDecimal> faceValueByMonth) {
    }

    private static List<EventEnvelope<?>> withHeldOut(List<EventEnvelope<?>> fired, List<EventEnvelope<?>> heldOut) {
        if (heldOut.isEmpty()) {
            return fired;
        }
        List<EventEnvelope<?>> all = new ArrayList<>(fired.size() + heldOut.size());
        all.addAll(fired);
        all.addAll(heldOut);
        return all;
    }

    private Uni<History> history(SqlConnection tx, List<TriggerRequest> requests) {
        List<TriggerRequest> marketing = requests.stream().filter(TriggerRequest::marketing).toList();
        List<String> marketingCustomers = marketing.stream().map(TriggerRequest::customerId).distinct().toList();
        // Every cap window (businessTime - window, businessTime] of the requests lies within (since, until].
        Instant since = marketing.stream().map(r -> r.businessTime().minus(guards(r).capWindow()))
                .min(Instant::compareTo).orElse(Instant.EPOCH);
        Instant until = marketing.stream().map(TriggerRequest::businessTime).max(Instant::compareTo)
                .orElse(Instant.EPOCH);
        // The months' rows are read and locked before deciding only where a budget applies; otherwise they are only
        // added to after the decisions, which holds their locks for the shortest time. Either way in month order.
        boolean budgeted = requests.stream()
                .anyMatch(r -> r.offer() != null && guards(r).monthlyVoucherBudget() != null);
        SortedSet<LocalDate> months = new TreeSet<>();
        requests.stream().filter(r -> r.offer() != null).forEach(r -> months.add(month(r)));
        return store.alreadyLogged(tx, requests)
                .chain(logged -> store.firedBetween(tx, marketingCustomers, since, until)
                        .chain(fired -> (budgeted ? store.lockBudgetMonths(tx, months)
                                : Uni.createFrom().item(Map.<LocalDate, BigDecimal>of()))
                                .map(spent -> new History(logged, fired, spent))));
    }

    /** The programme version that decided the request: the one in force at its business time. */
    private CampaignProgramme programme(TriggerRequest request) {
        return programmes.at(request.businessTime());
    }

    private TriggerGuards guards(TriggerRequest request) {
        return programme(request).guards();
    }

    /** The budget month the request's voucher counts in: the one holding its business time, in its version's zone. */
    private LocalDate month(TriggerRequest request) {
        return guards(request).budgetMonth(request.businessTime());
    }

    /** Each request in order, through {@link TriggerDecision}: a decided voucher and cap use count for the next. */
    private Decisions decide(List<TriggerRequest> requests, History history, Map<String, CustomerState> customers,
                             Instant now, int budget) {
        Map<String, List<Instant>> fired = new HashMap<>();
        history.firedLately().forEach((customer, times) -> fired.put(customer, new ArrayList<>(times)));
        List<LoggedTrigger> triggers = new ArrayList<>();
        Map<String, IssuedVoucher> vouchers = new HashMap<>();
        Map<String, Spend> spends = new HashMap<>();
        Map<LocalDate, BigDecimal> spent = new HashMap<>(history.spentByMonth());
        int budgetLeft = budget;
        for (TriggerRequest request : requests) {
            if (history.logged().contains(key(request))) {
                continue; // fired (or withheld) before: once only
            }
            Instant businessTime = request.businessTime();
            CampaignProgramme programme = programme(request);
            LocalDate month = month(request);
            CustomerState customer = customers.get(request.customerId());
            boolean consent = customer != null && customer.marketingConsent();
            String triggerId = triggerId(request);
            TriggerDecision decision = TriggerDecision.decide(programme, request, consent,
                    programme.guards().firedInWindow(fired.getOrDefault(request.customerId(), List.of()),
                            businessTime),
                    budgetLeft > 0, spent.getOrDefault(month, BigDecimal.ZERO),
                    () -> codes.next(prefix(request.type())), triggerId, now);
            if (decision.countsAgainstCap(request)) {
                fired.computeIfAbsent(request.customerId(), id -> new ArrayList<>()).add(businessTime);
            }
            IssuedVoucher voucher = decision.voucher();
            if (voucher != null) {
                spent.merge(month, decision.faceValue(), BigDecimal::add);
                spends.put(triggerId, new Spend(month, decision.faceValue()));
                budgetLeft--;
                vouchers.put(triggerId, voucher);
            }
            triggers.add(new LoggedTrigger(triggerId, request, decision.outcome(),
                    voucher == null ? null : voucher.code(), now, triggers.size()));
        }
        return new Decisions(triggers, vouchers, spends);
    }

    private static EventEnvelope<TriggerFired> event(LoggedTrigger trigger, IssuedVoucher voucher) {
        TriggerRequest r = trigger.request();
        TriggerFired fired = new TriggerFired(trigger.triggerId(), r.type(), r.campaignId(), r.reason(),
                r.sourceEventId(), r.orderId(), voucher == null ? null : voucher.toEvent(), r.attributes(),
                trigger.firedAt(), null, r.cart());
        return EventEnvelope.of(trigger.triggerId(), SOURCE, trigger.firedAt(), r.customerId(), fired);
    }

    /**
     * The trigger that was held out, for the uplift measurement's control arm: its id derived from the trigger's (so
     * a replay or redelivery, which finds the trigger logged, publishes nothing new, and a relay retry the same id),
     * its time the log's {@code fired_at} like a fired trigger's, and no personal data beyond the customer id.
     */
    private static EventEnvelope<TriggerHeldOut> heldOutEvent(LoggedTrigger trigger) {
        TriggerRequest r = trigger.request();
        TriggerHeldOut heldOut = new TriggerHeldOut(trigger.triggerId(), r.type(), r.campaignId(), r.reason(),
                r.sourceEventId(), r.orderId(), trigger.firedAt());
        return EventEnvelope.of(EventIds.derive(trigger.triggerId(), "trigger.held-out"), SOURCE, trigger.firedAt(),
                r.customerId(), heldOut);
    }

    /** The same trigger gets the same id on every replica and retry, so consumers can deduplicate on it. */
    static String triggerId(TriggerRequest request) {
        return EventIds.derive(request.type().wireName() + ":" + request.dedupeKey(), "trigger.fired");
    }

    private static String key(TriggerRequest request) {
        return request.type().wireName() + "\u0000" + request.dedupeKey();
    }

    private static String prefix(TriggerType type) {
        return switch (type) {
            case DELAY_APOLOGY -> "SORRY";
            case BIRTHDAY_OFFER -> "BDAY";
            case WIN_BACK -> "BACK";
            case CART_REMINDER -> "CART";
            default -> "OFFER";
        };
    }

    /** Counted when logged; a batch retried after a failed commit counts again (the trigger log is exact). */
    private void count(LoggedTrigger trigger) {
        registry.counter("retention.triggers", "type", trigger.request().type().wireName(),
                "outcome", trigger.outcome().name()).increment();
    }
}
