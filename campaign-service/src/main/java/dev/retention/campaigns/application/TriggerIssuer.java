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
import dev.retention.contracts.events.TriggerType;
import dev.retention.eventing.programme.ProgrammePolicies;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns what the rules asked for into what happens, inside the caller's transaction (it opens none): once-only (the
 * trigger log's unique type + dedupe key), the guards, the budgets, a voucher with a fresh code, and the
 * {@code trigger.fired} event. The caller holds the lock of every customer involved, so the frequency cap counts
 * every trigger. Each request is guarded by the programme version in force at its business time (the guards, the
 * monthly voucher budget, what its voucher is worth); the month whose budget it spends is the month it is issued in.
 */
@ApplicationScoped
public class TriggerIssuer {

    static final String SOURCE = "/campaign-service";

    private final TriggerStore store;
    private final ProgrammePolicies<CampaignProgramme> programmes;
    private final VoucherCodeGenerator codes;
    private final MeterRegistry registry;

    public TriggerIssuer(TriggerStore store, ProgrammePolicies<CampaignProgramme> programmes,
                         VoucherCodeGenerator codes, MeterRegistry registry) {
        this.store = store;
        this.programmes = programmes;
        this.codes = codes;
        this.registry = registry;
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
        requested.forEach(r -> distinct.putIfAbsent(key(r), r));
        if (distinct.isEmpty()) {
            return Uni.createFrom().item(Issued.NOTHING);
        }
        List<TriggerRequest> requests = List.copyOf(distinct.values());
        LocalDate month = programmes.at(now).guards().budgetMonth(now);
        return history(tx, requests, month, now)
                .map(history -> decide(requests, history, customers, now, budget))
                .chain(decisions -> store.log(tx, decisions.triggers()).map(decisions::newlyLogged))
                .invoke(logged -> logged.triggers().forEach(this::count))
                .call(logged -> store.spendBudgetMonth(tx, month, logged.faceValue()))
                .chain(logged -> store.insertVouchers(tx, logged.vouchers())
                        .replaceWith(new Issued(logged.events(), logged.vouchers().size())));
    }

    /**
     * What the log already knows of these requests: which were logged before, when each customer's marketing
     * triggers fired lately (for the cap), and the face value issued this month (zero, unread, when no budget
     * applies to any of them).
     */
    private record History(Set<String> logged, Map<String, List<Instant>> firedLately, BigDecimal spentThisMonth) {
    }

    /** What the guards and the budget decided, before the log tells which of them are new. */
    private record Decisions(List<LoggedTrigger> triggers, Map<String, IssuedVoucher> vouchers,
                             Map<String, BigDecimal> faceValues) {

        /** Only what this transaction logged first: another may have logged the same trigger concurrently. */
        Logged newlyLogged(Set<String> inserted) {
            List<LoggedTrigger> logged = new ArrayList<>();
            List<IssuedVoucher> newVouchers = new ArrayList<>();
            List<EventEnvelope<?>> events = new ArrayList<>();
            BigDecimal faceValue = BigDecimal.ZERO;
            for (LoggedTrigger trigger : triggers) {
                if (!inserted.contains(trigger.triggerId())) {
                    continue; // another transaction logged it first
                }
                logged.add(trigger);
                if (trigger.outcome() != TriggerOutcome.FIRED) {
                    continue;
                }
                IssuedVoucher voucher = vouchers.get(trigger.triggerId());
                if (voucher != null) {
                    newVouchers.add(voucher);
                    faceValue = faceValue.add(faceValues.get(trigger.triggerId()));
                }
                events.add(event(trigger, voucher));
            }
            return new Logged(logged, newVouchers, events, faceValue);
        }
    }

    private record Logged(List<LoggedTrigger> triggers, List<IssuedVoucher> vouchers,
                          List<EventEnvelope<?>> events, BigDecimal faceValue) {
    }

    private Uni<History> history(SqlConnection tx, List<TriggerRequest> requests, LocalDate month, Instant now) {
        List<String> marketingCustomers = requests.stream().filter(TriggerRequest::marketing)
                .map(TriggerRequest::customerId).distinct().toList();
        Duration longestCapWindow = requests.stream().map(r -> guards(r, now).capWindow())
                .max(Duration::compareTo).orElse(Duration.ZERO);
        // The month's row is read and locked before deciding only where a budget applies; otherwise it is only
        // added to after the decisions, which holds its lock for the shortest time.
        boolean budgeted = requests.stream()
                .anyMatch(r -> r.offer() != null && guards(r, now).monthlyVoucherBudget() != null);
        return store.alreadyLogged(tx, requests)
                .chain(logged -> store.firedSince(tx, marketingCustomers, now.minus(longestCapWindow))
                        .chain(fired -> (budgeted ? store.lockBudgetMonth(tx, month)
                                : Uni.createFrom().item(BigDecimal.ZERO))
                                .map(spent -> new History(logged, fired, spent))));
    }

    /** The programme version that decided the request: the one in force at its business time. */
    private CampaignProgramme programme(TriggerRequest request, Instant now) {
        return programmes.at(request.businessTime() == null ? now : request.businessTime());
    }

    private TriggerGuards guards(TriggerRequest request, Instant now) {
        return programme(request, now).guards();
    }

    /** Each request in order, through {@link TriggerDecision}: a decided voucher and cap use count for the next. */
    private Decisions decide(List<TriggerRequest> requests, History history, Map<String, CustomerState> customers,
                             Instant now, int budget) {
        Map<String, List<Instant>> fired = new HashMap<>();
        history.firedLately().forEach((customer, times) -> fired.put(customer, new ArrayList<>(times)));
        List<LoggedTrigger> triggers = new ArrayList<>();
        Map<String, IssuedVoucher> vouchers = new HashMap<>();
        Map<String, BigDecimal> faceValues = new HashMap<>();
        int budgetLeft = budget;
        BigDecimal spent = history.spentThisMonth();
        for (TriggerRequest request : requests) {
            if (history.logged().contains(key(request))) {
                continue; // fired (or withheld) before: once only
            }
            CampaignProgramme programme = programme(request, now);
            CustomerState customer = customers.get(request.customerId());
            boolean consent = customer != null && customer.marketingConsent();
            String triggerId = triggerId(request);
            TriggerDecision decision = TriggerDecision.decide(programme, request, consent,
                    programme.guards().firedInWindow(fired.getOrDefault(request.customerId(), List.of()), now),
                    budgetLeft > 0, spent, () -> codes.next(prefix(request.type())), triggerId, now);
            if (decision.countsAgainstCap(request)) {
                fired.computeIfAbsent(request.customerId(), id -> new ArrayList<>()).add(now);
            }
            IssuedVoucher voucher = decision.voucher();
            if (voucher != null) {
                spent = spent.add(decision.faceValue());
                faceValues.put(triggerId, decision.faceValue());
                budgetLeft--;
                vouchers.put(triggerId, voucher);
            }
            triggers.add(new LoggedTrigger(triggerId, request, decision.outcome(),
                    voucher == null ? null : voucher.code(), now, triggers.size()));
        }
        return new Decisions(triggers, vouchers, faceValues);
    }

    private static EventEnvelope<TriggerFired> event(LoggedTrigger trigger, IssuedVoucher voucher) {
        TriggerRequest r = trigger.request();
        TriggerFired fired = new TriggerFired(trigger.triggerId(), r.type(), r.campaignId(), r.reason(),
                r.sourceEventId(), r.orderId(), voucher == null ? null : voucher.toEvent(), r.attributes(),
                trigger.firedAt());
        return EventEnvelope.of(trigger.triggerId(), SOURCE, trigger.firedAt(), r.customerId(), fired);
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
            default -> "OFFER";
        };
    }

    /** Counted when logged; a batch retried after a failed commit counts again (the trigger log is exact). */
    private void count(LoggedTrigger trigger) {
        registry.counter("retention.triggers", "type", trigger.request().type().wireName(),
                "outcome", trigger.outcome().name()).increment();
    }
}
