package dev.retention.contracts.programme;

import java.time.Instant;

/**
 * One published version of a programme: immutable, numbered from 1, and in force from {@code effectiveFrom} until the
 * next version's {@code effectiveFrom}. A later version always takes effect later ({@link ProgrammeTimeline}).
 *
 * @param publishedBy the subject of the token that published it
 * @param reason      why, in the publisher's words
 * @param restoredFrom set when a roll-back published an earlier version's content again: that version's number
 */
public record ProgrammeVersion(int version, Instant effectiveFrom, Instant publishedAt, String publishedBy,
                               String reason, Integer restoredFrom, ProgrammeDocument document) {
}
