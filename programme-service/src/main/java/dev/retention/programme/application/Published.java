package dev.retention.programme.application;

import dev.retention.contracts.programme.ProgrammeVersion;

/** A version just published, with its programme. */
public record Published(String programmeId, ProgrammeVersion version) {
}
