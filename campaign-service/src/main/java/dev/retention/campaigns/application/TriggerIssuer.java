package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.CampaignPolicy;
import dev.retention.campaigns.domain.CustomerState;
import dev.retention.campaigns.domain.IssuedVoucher;
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
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns what the rules asked for into what happens, inside the caller's transaction (it opens none): once-only (the
 * trigger log's unique type + dedupe key), the guards, the budget, a voucher with a fresh code, and the
 * {@code trigger.fired} event. The caller holds the lock of every customer involved, so the frequency cap counts
 * every trigger.
 */
@ApplicationScoped
public class TriggerIssuer {

    static final String SOURCE = "/campaign-service";

    private final TriggerStore store;
    private final TriggerGuards guards;
    private final VoucherCodeGenerator codes;
    private final MeterRegistry registry;
    private final String baseCurrency;

    public TriggerIssuer(TriggerStore store, TriggerGuards guards, VoucherCodeGenerator codes, MeterRegistry registry,
                         CampaignPolicy policy) {
        this.store = store;
        this.guards = guards;
        this.codes = codes;
        this.registry = registry;
        this.baseCurrency = policy.baseCurrency();
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
        return history(tx, requests, now)
                .map(history -> decide(requests, history, customers, now, budget))
                .chain(decisions -> store.log(tx, decisions.triggers()).map(decisions::newlyLogged))
                .invoke(logged -> logged.triggers().forEach(this::count))
                .chain(logged -> store.insertVouchers(tx, logged.vouchers())
                        .replaceWith(new Issued(logged.events(), logged.vouchers().size())));
    }

    /** What the log already knows of these requests: which were logged before, and the cap's counts. */
    private record History(Set<String> logged, Map<String, Integer> firedInCapWindow) {
    }

    /** What the guards and the budget decided, before the log tells which of them are new. */
    private record Decisions(List<LoggedTrigger> triggers, Map<String, IssuedVoucher> vouchers) {

        /** Only what this transaction logged first: another may have logged the same trigger concurrently. */
        Logged newlyLogged(Set<String> inserted) {
            List<LoggedTrigger> logged = new ArrayList<>();
            List<IssuedVoucher> newVouchers = new ArrayList<>();
            List<EventEnvelope<?>> events = new ArrayList<>();
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
                }
                events.add(event(trigger, voucher));
            }
            return new Logged(logged, newVouchers, events);
        }
    }

    private record Logged(List<LoggedTrigger> triggers, List<IssuedVoucher> vouchers,
                          List<EventEnvelope<?>> events) {
    }

    private Uni<History> history(SqlConnection tx, List<TriggerRequest> requests, Instant now) {
        List<String> marketingCustomers = requests.stream().filter(TriggerRequest::marketing)
                .map(TriggerRequest::customerId).distinct().toList();
        return store.alreadyLogged(tx, requests)
                .chain(logged -> store.firedSince(tx, marketingCustomers, now.minus(guards.capWindow()))
                        .map(fired -> new History(logged, fired)));
    }

    private Decisions decide(List<TriggerRequest> requests, History history, Map<String, CustomerState> customers,
                             Instant now, int budget) {
        Map<String, Integer> fired = new HashMap<>(history.firedInCapWindow());
        List<LoggedTrigger> triggers = new ArrayList<>();
        Map<String, IssuedVoucher> vouchers = new HashMap<>();
        int budgetLeft = budget;
        for (TriggerRequest request : requests) {
            if (history.logged().contains(key(request))) {
                continue; // fired (or withheld) before: once only
            }
            CustomerState customer = customers.get(request.customerId());
            boolean consent = customer != null && customer.marketingConsent();
            TriggerOutcome outcome = guards.decide(request, consent, fired.getOrDefault(request.customerId(), 0));
            if (outcome == TriggerOutcome.FIRED && request.offer() != null && budgetLeft <= 0) {
                outcome = TriggerOutcome.OVER_BUDGET;
            }
            String triggerId = triggerId(request);
            String code = null;
            if (outcome == TriggerOutcome.FIRED) {
                if (request.marketing()) {
                    fired.merge(request.customerId(), 1, Integer::sum);
                }
                if (request.offer() != null) {
                    budgetLeft--;
                    IssuedVoucher voucher = request.offer().issue(codes.next(prefix(request.type())),
                            request.customerId(), triggerId, request.campaignId(), request.currency(), baseCurrency,
                            now);
                    vouchers.put(triggerId, voucher);
                    code = voucher.code();
                }
            }
            triggers.add(new LoggedTrigger(triggerId, request, outcome, code, now));
        }
        return new Decisions(triggers, vouchers);
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
