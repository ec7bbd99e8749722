package dev.retention.contracts;

/** Why a record is not an event the platform accepts. The name travels in the dead-letter header. */
public enum RejectionReason {
    EMPTY_RECORD,
    TOO_LARGE,
    INVALID_UTF8,
    INVALID_JSON,
    MISSING_ATTRIBUTE,
    INVALID_ATTRIBUTE,
    UNSUPPORTED_SPEC_VERSION,
    UNKNOWN_TYPE,
    WRONG_TOPIC,
    KEY_MISMATCH,
    SCHEMA_VIOLATION,
    /** Decoded fine, but applying it failed with a data error (the service's rules rejected it). */
    PROCESSING_ERROR
}
