-- The daily snapshots published: one per measure and day, whichever replica's job gets there first.
CREATE TABLE snapshot_published (
    measure      text        NOT NULL,
    day          date        NOT NULL,
    published_at timestamptz NOT NULL,
    PRIMARY KEY (measure, day)
);
