# Sourced by the ingest benchmark: CPU time (clock ticks, user + system) of a process, and of a PostgreSQL cluster
# (its postmaster and every backend and worker under it), so a run can say where each event's CPU went.
process_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cluster_ticks() {  # postmaster pid; its reaped children's time counts too (pgbench's backends end with it)
  local total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat") child
  for child in $(pgrep -P "$1"); do total=$((total + $(process_ticks "$child"))); done
  echo "$total"
}
# µs of CPU per event from two tick counts and an event count
per_event_us() { python3 -c "import os; print(round(($2 - $1) / os.sysconf('SC_CLK_TCK') * 1e6 / $3))"; }
