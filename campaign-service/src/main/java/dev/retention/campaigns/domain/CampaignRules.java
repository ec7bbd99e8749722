package dev.retention.campaigns.domain;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.TierChanged;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The retention triggers ({@link TriggerRules}), each judged under the programme version in force at its business
 * time, so that an event processed late, or replayed, asks for what it asked for when it happened:
 * <ul>
 *     <li>an event: the time it is about: an order its {@code placedAt}, a delivery its {@code deliveredAt}, a
 *     review its {@code submittedAt}, a tier change its {@code effectiveAt}, any other its CloudEvent {@code time};</li>
 *     <li>a job: the due time it evaluates (the shipment's overdue time, the birthday offer's send time, the
 *     win-back step's and the review request's due time), not the moment the job happens to run.</li>
 * </ul>
 * A due time is computed when its timer is set, under the version in force then; what it offers when it comes due is
 * the version in force at that due time. A plain function of (versions, state, event), so a simulation can re-run it
 * over stored history.
 */
public class CampaignRules {

    private final Function<Instant, CampaignPolicy> policies;
    private final VoucherCodeGenerator codes;

    /** @param policies the trigger settings of the programme version in force at a business time */
    public CampaignRules(Function<Instant, CampaignPolicy> policies, VoucherCodeGenerator codes) {
        this.policies = policies;
        this.codes = codes;
    }

    /** The same settings at every time. */
    public CampaignRules(CampaignPolicy policy, VoucherCodeGenerator codes) {
        this(time -> policy, codes);
    }

    /** The settings in force at {@code time}. */
    public CampaignPolicy policy(Instant time) {
        return policies.apply(time);
    }

    private TriggerRules at(Instant time) {
        return new TriggerRules(policies.apply(time), codes);
    }

    /** The time whose programme version judges the event. */
    public static Instant businessTime(EventEnvelope<?> event, Instant now) {
        Instant own = switch (event.data()) {
            case OrderPlaced placed -> placed.placedAt();
            case ShipmentDelivered delivered -> delivered.deliveredAt();
            case ReviewSubmitted review -> review.submittedAt();
            case TierChanged changed -> changed.effectiveAt();
            case dev.retention.contracts.events.CartUpdated updated -> updated.updatedAt();
            case dev.retention.contracts.events.CheckoutStarted started -> started.startedAt();
            case dev.retention.contracts.events.FeedbackSubmitted feedback -> feedback.submittedAt();
            default -> event.time();
        };
        return own != null ? own : event.time() != null ? event.time() : now;
    }

    /** What the event changes in {@code state}, and the triggers it asks for (one at most). */
    public List<TriggerRequest> apply(EventEnvelope<?> event, CampaignState state, Instant now) {
        Instant time = businessTime(event, now);
        return at(time).apply(event, state, now).stream().map(request -> request.at(time)).toList();
    }

    /** A dispatched shipment still not delivered when its promised date (plus grace) has passed. */
    public Optional<TriggerRequest> shipmentOverdue(ShipmentTimer timer, OrderState order, CustomerState customer,
                                                    Instant now) {
        Instant due = dueOr(timer.dueAt(), now);
        return at(due).shipmentOverdue(timer, order, customer, now).map(request -> request.at(due));
    }

    /** The birthday offer whose send time has come; schedules the next year's. */
    public Optional<TriggerRequest> birthdayDue(CustomerState customer, Instant now) {
        Instant due = dueOr(customer.birthdayOfferAt(), now);
        return at(due).birthdayDue(customer, now).map(request -> request.at(due));
    }

    /** The next win-back offer: no order since {@code lastOrderAt} for the step's period. */
    public Optional<TriggerRequest> winBackDue(CustomerState customer, Instant now) {
        Instant due = dueOr(customer.winBackDueAt(), now);
        return at(due).winBackDue(customer, now).map(request -> request.at(due));
    }

    /** The review request for a delivered order that was neither reviewed, cancelled nor returned. */
    public Optional<TriggerRequest> reviewRequestDue(OrderState order, Instant now) {
        Instant due = dueOr(order.reviewRequestDueAt(), now);
        return at(due).reviewRequestDue(order, now).map(request -> request.at(due));
    }

    /** The next reminder of a cart left with items: no order, change or checkout for the step's period. */
    public Optional<TriggerRequest> cartReminderDue(CartTimer cart, CustomerState customer, Instant now) {
        Instant due = dueOr(cart.dueAt(), now);
        return at(due).cartReminderDue(cart, customer, now).map(request -> request.at(due));
    }

    /** The triggers a recorded feedback answer asks for, under the version in force when it was given. */
    public List<TriggerRequest> feedbackRecorded(FeedbackAnswer answer, CustomerState customer, OrderState order) {
        Instant time = answer.answeredAt();
        return at(time).feedbackRecorded(answer, customer, order).stream().map(request -> request.at(time)).toList();
    }

    /** A due time in the future is not due yet: the rules answer nothing for it, under any version. */
    private static Instant dueOr(Instant due, Instant now) {
        return due == null || due.isAfter(now) ? now : due;
    }
}
