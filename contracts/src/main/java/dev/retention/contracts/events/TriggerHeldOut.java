package dev.retention.contracts.events;

import java.time.Instant;

/**
 * {@code trigger.held-out} on {@code retention.triggers}: a marketing trigger was decided for a customer in the holdout
 * group, so nothing was sent and no voucher issued. It is the control arm of every uplift measurement: the same
 * trigger, at the same moment, without the message. The id of the trigger it would have been, never personal data.
 *
 * @param heldOutAt when campaign-service decided it (the same clock as a fired trigger's {@code firedAt})
 */
public record TriggerHeldOut(
        String triggerId,
        TriggerType triggerType,
        String campaignId,
        String reason,
        String sourceEventId,
        String orderId,
        Instant heldOutAt) implements EventData {
}
