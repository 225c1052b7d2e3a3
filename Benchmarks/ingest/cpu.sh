# Sourced by the ingest benchmark: CPU time (clock ticks, user + system) of a process, and of a PostgreSQL cluster
# (its postmaster and every backend and worker under it), so a run can say where each event's CPU went.
process_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cluster_ticks() {  # postmaster pid; its reaped children's time counts too (pgbench's backends end with it)
  local total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat") child
  for child in $(pgrep -P "$1"); do total=$((total + $(process_ticks "$child"))); done
  echo "$total"
}
# The postmaster's children now, one pid per line.
cluster_children() { pgrep -P "$1" | sort; }
# Waits (at most 10 s) until every child of postmaster $1 that is not in $2 (a cluster_children list) has ended and
# been reaped. A backend whose client has gone ends a moment later: read before the postmaster reaps it, its CPU time
# is in neither its own /proc entry nor the postmaster's children's total. Measured right after pgbench, that lost
# about half of the batch floor's CPU (40 instead of 80 µs per event, 2026-12-05).
wait_for_reaped() {
  for _ in $(seq 1 100); do
    [ -z "$(comm -13 <(echo "$2") <(cluster_children "$1"))" ] && return
    sleep 0.1
  done
}
# µs of CPU per event from two tick counts and an event count
per_event_us() { python3 -c "import os; print(round(($2 - $1) / os.sysconf('SC_CLK_TCK') * 1e6 / $3))"; }
