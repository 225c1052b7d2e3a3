-- Every replica must decide alike (issue 17): each records the digest of the rule files it decides by, every
-- 15 seconds, so that replicas running different rule sets show in /metrics. Rows of replicas gone for a day go.
CREATE TABLE rule_set_replicas (
    replica text        PRIMARY KEY CHECK (length(replica) <= 200),
    digest  text        NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
    seen_at timestamptz NOT NULL DEFAULT now()
);
