-- Web console sessions (API.md, Web console): stored here so every replica knows them. The browser holds a
-- random token; only its SHA-256 is stored. A session stands for the API key it logged in with (by the key's
-- hash, as api_keys keeps it), so revoking the key ends it; idle after 30 minutes, at most 8 hours.
CREATE TABLE console_sessions (
    token_hash   bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    key_hash     bytea       NOT NULL CHECK (length(key_hash) = 32),
    csrf_token   text        NOT NULL CHECK (length(csrf_token) BETWEEN 32 AND 100),
    -- The result of the last POST, shown once by the page it redirects to (POST/redirect/GET).
    flash        jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX console_sessions_key ON console_sessions (key_hash);
