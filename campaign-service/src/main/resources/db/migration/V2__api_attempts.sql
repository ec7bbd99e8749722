-- Attempts per key and window for the API's attempt limits (eventing kit's AttemptLimiter): shared by replicas.
CREATE TABLE api_attempt (attempt_key TEXT NOT NULL, window_start TIMESTAMPTZ NOT NULL, attempts INT NOT NULL,
                          PRIMARY KEY (attempt_key, window_start));
