#!/usr/bin/env bash
# The batch baseline (issue 20): the rows Indgang's NDJSON run wrote, written again from pre-computed values by
# pgbench into a fresh database with the same schema (tables, indexes, triggers, constraints), in transactions of
# the same size (250 events, Indgang's chunk) with two in flight, as Indgang runs them. Indgang pays on top for
# parsing, deciding, its reads (idempotency, citizen look-up, locks) and the round trips; this is the floor.
#
# Usage (from run.sh): batch_baseline.sh <psql> <pgbench> <socket> <work dir> <indgang binary>
# Prints one JSON line: events per second, and the rows written per event by table.
set -euo pipefail
PSQL=("$1" -h "$3" -U indgang -q -v ON_ERROR_STOP=1)
PGBENCH=$2
SOCKET=$3
WORK=$4
BIN=$5
CHUNK=250

"${PSQL[@]}" -d postgres -c "CREATE DATABASE batch_baseline"
DATABASE_URL="postgres://indgang@localhost/batch_baseline?host=$SOCKET" INDGANG_DATA_DIR=$WORK/data "$BIN" migrate 2>/dev/null
for table in actors api_keys; do
  "${PSQL[@]}" -d indgang -c "COPY $table TO STDOUT" | "${PSQL[@]}" -d batch_baseline -c "COPY $table FROM STDIN"
done

# Each table with the columns Indgang's ChangeSet writes, and the join that finds the batch run's rows.
batch="(SELECT citizen_id, external_id::int / $CHUNK AS chunk FROM events WHERE source = 'batch')"
declare -A COLUMNS=(
  [citizens]="id, cpr_index, cpr_sealed, birth_date"
  [cases]="id, citizen_id, pathway, pathway_variant, pathway_version, responsible_actor_id"
  [handoffs]="id, case_id, from_actor_id, to_actor_id, reason, due_at, status, decided_at, decision_reason"
  [case_timeline]="case_id, kind, actor_id, data"
  [notifications]="id, actor_id, kind, case_id, handoff_id, data"
  [applied_effects]="citizen_id, slot, value, event_id, case_id, handoff_id, outcome"
  [events]="id, source, external_id, type, occurred_at, citizen_id, actor_id, attributes, body_digest, result, posted_by_key, posting_actor_id, amends_event_id"
  [outcome_episodes]="measure, citizen_id, event_id, at, on_date, actor_id, actor_kind, municipality_code, age, outcome_at, died_at"
  [audit_log]="key_id, actor_id, role, action, citizen_id, case_id, purpose, request_id, details"
)
declare -A FROM=(
  [citizens]="citizens x JOIN $batch b ON b.citizen_id = x.id"
  [cases]="cases x JOIN $batch b ON b.citizen_id = x.citizen_id"
  [handoffs]="handoffs x JOIN cases k ON k.id = x.case_id JOIN $batch b ON b.citizen_id = k.citizen_id"
  [case_timeline]="case_timeline x JOIN cases k ON k.id = x.case_id JOIN $batch b ON b.citizen_id = k.citizen_id"
  [notifications]="notifications x JOIN cases k ON k.id = x.case_id JOIN $batch b ON b.citizen_id = k.citizen_id"
  [applied_effects]="applied_effects x JOIN $batch b ON b.citizen_id = x.citizen_id"
  [events]="events x JOIN $batch b ON b.citizen_id = x.citizen_id"
  [outcome_episodes]="outcome_episodes x JOIN $batch b ON b.citizen_id = x.citizen_id"
  [audit_log]="audit_log x JOIN $batch b ON b.citizen_id = x.citizen_id"
)
ORDER="citizens cases handoffs case_timeline notifications applied_effects events outcome_episodes audit_log"
for table in $ORDER; do
  columns=$(echo "${COLUMNS[$table]}" | sed 's/\([a-z_][a-z_]*\)/x.\1/g')
  "${PSQL[@]}" -d batch_baseline -c "CREATE UNLOGGED TABLE stage_$table AS SELECT ${COLUMNS[$table]}, 0 AS chunk, 0::bigint AS n FROM $table WITH NO DATA"
  "${PSQL[@]}" -d indgang -c "COPY (SELECT $columns, b.chunk, row_number() OVER () FROM ${FROM[$table]}) TO STDOUT" \
    | "${PSQL[@]}" -d batch_baseline -c "COPY stage_$table FROM STDIN"
  "${PSQL[@]}" -d batch_baseline -c "CREATE INDEX ON stage_$table (chunk, n)" -c "ANALYZE stage_$table"
done
CHUNKS=$("$1" -h "$SOCKET" -U indgang -d batch_baseline -At -c "SELECT count(DISTINCT chunk) FROM stage_events")
EVENTS=$("$1" -h "$SOCKET" -U indgang -d batch_baseline -At -c "SELECT count(*) FROM stage_events")
[ "$EVENTS" -eq $((CHUNKS * CHUNK)) ] || { echo "expected $CHUNKS chunks of $CHUNK events, found $EVENTS events" >&2; exit 1; }
[ "$("$1" -h "$SOCKET" -U indgang -d batch_baseline -At -c "SELECT count(*) FROM stage_outcome_episodes")" -eq 0 ] \
  || { echo "the batch wrote outcome facts: the baseline would also have to write their counts" >&2; exit 1; }
"${PSQL[@]}" -d batch_baseline -c "CREATE SEQUENCE stage_chunk MINVALUE 0 START 0"

# One transaction per chunk, in Indgang's statement shapes: citizens with their cases, handoffs, then the rest in one.
staged() { echo "SELECT ${COLUMNS[$1]} FROM stage_$1 WHERE chunk = :k ORDER BY n"; }
cat > "$WORK/batch_baseline.sql" <<SQL
SELECT nextval('stage_chunk') AS k \gset
BEGIN;
WITH new_citizens AS (INSERT INTO citizens (${COLUMNS[citizens]}) $(staged citizens))
INSERT INTO cases (${COLUMNS[cases]}) $(staged cases);
INSERT INTO handoffs (${COLUMNS[handoffs]}) $(staged handoffs);
WITH timeline AS (INSERT INTO case_timeline (${COLUMNS[case_timeline]}) $(staged case_timeline)),
notified AS (INSERT INTO notifications (${COLUMNS[notifications]}) $(staged notifications)),
effects AS (INSERT INTO applied_effects (${COLUMNS[applied_effects]}) $(staged applied_effects)),
stored AS (INSERT INTO events (${COLUMNS[events]}) $(staged events))
INSERT INTO audit_log (${COLUMNS[audit_log]}) $(staged audit_log);
END;
SQL
"$PGBENCH" -h "$SOCKET" -U indgang -n -c 2 -j 2 -t $((CHUNKS / 2)) -f "$WORK/batch_baseline.sql" batch_baseline > "$WORK/batch_baseline.txt" 2>&1 \
  || { cat "$WORK/batch_baseline.txt" >&2; exit 1; }
TPS=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/batch_baseline.txt" | head -1)
ROWS=$(for table in $ORDER; do
  echo "\"$table\": $("$1" -h "$SOCKET" -U indgang -d batch_baseline -At -c "SELECT round(count(*)::numeric / $EVENTS, 2) FROM stage_$table")"
done | paste -sd, -)
PERIODS=$("$1" -h "$SOCKET" -U indgang -d batch_baseline -At -c "SELECT round(count(*)::numeric / $EVENTS, 2) FROM case_responsibility")
echo "{\"events\": $EVENTS, \"events_per_second\": $(python3 -c "print($TPS * $CHUNK)"), \"rows_per_event\": {$ROWS, \"case_responsibility (trigger)\": $PERIODS}}"
