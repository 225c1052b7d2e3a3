-- Each claim of a delivery for an attempt gets a token of its own, and an attempt's result is recorded only under
-- the claim it was made with (a late sender whose lease ran out cannot overwrite a newer attempt's result). The
-- attempt number cannot serve: a redelivery starts it at 0 again.
ALTER TABLE deliveries ADD COLUMN claim uuid;
