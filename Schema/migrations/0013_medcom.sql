-- MedCom HospitalNotification (API.md): actors carry their SOR code and EAN location number, so a message's
-- sender can be matched to the posting key's actor; each episode's accepted messages are kept (ids, codes and
-- times only: the mapping of the next message needs them) and so is the acknowledgement of every message
-- answered `ok`, so the same message again gets the identical acknowledgement.
ALTER TABLE actors ADD COLUMN sor_code text UNIQUE CHECK (sor_code ~ '^[0-9]{1,18}$');
ALTER TABLE actors ADD COLUMN ean text UNIQUE CHECK (ean ~ '^[0-9]{13}$');

CREATE TABLE medcom_episode_entries (
    sender_sor     text        NOT NULL,
    episode_system text        NOT NULL,
    episode_value  text        NOT NULL,
    position       integer     NOT NULL CHECK (position >= 0),
    message_id     text        NOT NULL,
    entry          jsonb       NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sender_sor, episode_system, episode_value, position),
    UNIQUE (sender_sor, episode_system, episode_value, message_id)
);

CREATE TABLE medcom_acknowledgements (
    sender_sor      text        NOT NULL,
    message_id      text        NOT NULL,
    acknowledgement text        NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sender_sor, message_id)
);
