package dev.retention.points.domain;

import java.util.List;

/** A page of a customer's ledger, newest first; {@code nextBefore} is the {@code before} of the next page (null: no more). */
public record LedgerPage(List<LedgerEntry> entries, Long nextBefore) {
}
