#!/usr/bin/env bash
# The batch baseline (issue 20): the rows Indgang's NDJSON run wrote, written again from pre-computed values by
# pgbench into a fresh database with the same schema (tables, indexes, triggers, constraints), in transactions of
# the same size (250 events, Indgang's chunk) with four in flight, as Indgang runs them. Indgang pays on top for
# parsing, deciding, its reads (idempotency, citizen look-up, locks) and the round trips; this is the floor.
#
# Usage (from run.sh): batch_baseline.sh <psql> <pgbench> <socket> <work dir> <indgang binary>
# Prints one JSON line: events per second, and the rows written per event by table.
set -euo pipefail
PSQL_BIN=$1
PSQL=("$1" -h "$3" -U indgang -q -v ON_ERROR_STOP=1)
PGBENCH=$2
SOCKET=$3
POSTMASTER=${POSTMASTER:-$(head -1 "$4/data/cluster/pgdata/postmaster.pid")}
WORK=$4
BIN=$5
CHUNK=250
FLOOR_CLIENTS=${FLOOR_CLIENTS:-4}  # transactions in flight; CHUNKS must be a multiple
source "$(dirname "$0")/cpu.sh"
RESIDENT=$(cluster_children "$POSTMASTER")  # the cluster's own processes and the server's pool

"${PSQL[@]}" -d postgres -c "CREATE DATABASE batch_baseline"
DATABASE_URL="postgres://indgang@localhost/batch_baseline?host=$SOCKET" INDGANG_DATA_DIR=$WORK/data "$BIN" migrate 2>/dev/null
for table in actors api_keys; do
  "${PSQL[@]}" -d indgang -c "COPY $table TO STDOUT" | "${PSQL[@]}" -d batch_baseline -c "COPY $table FROM STDIN"
done

scalar() { "$PSQL_BIN" -h "$SOCKET" -U indgang -d batch_baseline -At -c "$1"; }

# stage TABLE CITIZEN COLUMNS: copies the batch run's rows of TABLE — the COLUMNS Indgang's ChangeSet writes — into
# stage_TABLE, each with its chunk; CITIZEN names the row's citizen (`k.` is the row's case).
batch="(SELECT citizen_id, external_id::int / $CHUNK AS chunk FROM events WHERE source = 'batch')"
declare -A COLUMNS=()
ORDER=""
stage() {
  local table=$1 citizen=$2 from="$1 x"
  COLUMNS[$table]=$3
  ORDER="$ORDER $table"
  if [[ $citizen == k.* ]]; then from="$from JOIN cases k ON k.id = x.case_id"; fi
  local columns
  columns=$(echo "$3" | sed 's/\([a-z_][a-z_]*\)/x.\1/g')
  "${PSQL[@]}" -d batch_baseline -c "CREATE UNLOGGED TABLE stage_$table AS SELECT $3, 0 AS chunk, 0::bigint AS n FROM $table WITH NO DATA"
  "${PSQL[@]}" -d indgang -c "COPY (SELECT $columns, b.chunk, row_number() OVER () FROM $from JOIN $batch b ON b.citizen_id = $citizen) TO STDOUT" \
    | "${PSQL[@]}" -d batch_baseline -c "COPY stage_$table FROM STDIN"
  "${PSQL[@]}" -d batch_baseline -c "CREATE INDEX ON stage_$table (chunk, n)" -c "ANALYZE stage_$table"
}
stage citizens x.id "id, cpr_index, cpr_sealed, birth_date"
stage cases x.citizen_id "id, citizen_id, pathway, pathway_variant, pathway_version, responsible_actor_id"
stage handoffs k.citizen_id "id, case_id, from_actor_id, to_actor_id, reason, due_at, status, decided_at, decision_reason"
stage case_timeline k.citizen_id "case_id, kind, actor_id, data"
stage notifications k.citizen_id "id, actor_id, kind, case_id, handoff_id, data"
stage applied_effects x.citizen_id "citizen_id, slot, value, event_id, case_id, handoff_id, outcome"
stage events x.citizen_id "id, source, external_id, type, occurred_at, citizen_id, actor_id, attributes, body_digest, result, posted_by_key, posting_actor_id, amends_event_id"
stage outcome_episodes x.citizen_id "measure, citizen_id, event_id, at, on_date, actor_id, actor_kind, municipality_code, age, outcome_at, died_at"
stage audit_log x.citizen_id "key_id, actor_id, role, action, citizen_id, case_id, purpose, request_id, details"
CHUNKS=$(scalar "SELECT count(DISTINCT chunk) FROM stage_events")
EVENTS=$(scalar "SELECT count(*) FROM stage_events")
[ "$EVENTS" -eq $((CHUNKS * CHUNK)) ] || { echo "expected $CHUNKS chunks of $CHUNK events, found $EVENTS events" >&2; exit 1; }
[ "$(scalar "SELECT count(*) FROM stage_outcome_episodes")" -eq 0 ] \
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
wait_for_reaped "$POSTMASTER" "$RESIDENT"
CLUSTER_BEFORE=$(cluster_ticks "$POSTMASTER")
${CLIENT_PIN:+taskset -c $CLIENT_PIN} "$PGBENCH" -h "$SOCKET" -U indgang -n -c "$FLOOR_CLIENTS" -j 2 -t $((CHUNKS / FLOOR_CLIENTS)) -f "$WORK/batch_baseline.sql" batch_baseline > "$WORK/batch_baseline.txt" 2>&1 \
  || { cat "$WORK/batch_baseline.txt" >&2; exit 1; }
wait_for_reaped "$POSTMASTER" "$RESIDENT"
POSTGRES_US=$(per_event_us "$CLUSTER_BEFORE" "$(cluster_ticks "$POSTMASTER")" "$EVENTS")
TPS=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/batch_baseline.txt" | head -1)
ROWS=$(for table in $ORDER; do
  echo "\"$table\": $(scalar "SELECT round(count(*)::numeric / $EVENTS, 2) FROM stage_$table")"
done | paste -sd, -)
PERIODS=$(scalar "SELECT round(count(*)::numeric / $EVENTS, 2) FROM case_responsibility")
echo "{\"events\": $EVENTS, \"postgres_us\": $POSTGRES_US, \"events_per_second\": $(python3 -c "print($TPS * $CHUNK)"), \"rows_per_event\": {$ROWS, \"case_responsibility (trigger)\": $PERIODS}}"
