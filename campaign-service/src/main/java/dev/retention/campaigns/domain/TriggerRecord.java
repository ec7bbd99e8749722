package dev.retention.campaigns.domain;

import java.time.Instant;

/** A row of the trigger log as a customer's history shows it: what fired, or what the guards withheld and why. */
public record TriggerRecord(String triggerId, String triggerType, String campaignId, String outcome, String reason,
                            String sourceEventId, String orderId, String voucherCode, Instant firedAt) {
}
