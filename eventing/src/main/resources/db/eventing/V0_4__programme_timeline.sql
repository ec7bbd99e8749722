-- The programme versions this service accepted from retention.programme (every version, as the latest record carries
-- them): a restart knows the rules of every business time before it reads the topic again.
CREATE TABLE eventing_programme (
    programme_id  TEXT        PRIMARY KEY,
    version_count INTEGER     NOT NULL,
    timeline      JSONB       NOT NULL,
    accepted_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
