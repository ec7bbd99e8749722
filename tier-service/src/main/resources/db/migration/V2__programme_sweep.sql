-- Issue 32: the tier rules are programme data. A published version that moves customers (other thresholds, window,
-- grace or risk notice) must reach every customer at the next evaluation, but the job reads only customers whose
-- next_evaluation_at has come. So when the version in force changes, every customer is marked due, a chunk at a
-- time in customer id order from after_customer (a crash resumes where the last committed chunk ended; marking is
-- idempotent: next_evaluation_at becomes at most the version's effectiveFrom). One row: the version the ladder was
-- last swept for (0 = the configured baseline, before version 1) and the sweep under way, if any.
CREATE TABLE tier_programme_sweep (
    singleton        BOOLEAN     PRIMARY KEY DEFAULT true CHECK (singleton),
    applied_version  INTEGER     NOT NULL,
    sweeping_version INTEGER,
    due_at           TIMESTAMPTZ,
    after_customer   TEXT        NOT NULL DEFAULT ''
);
INSERT INTO tier_programme_sweep (applied_version) VALUES (0);
