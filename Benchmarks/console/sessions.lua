-- wrk script: spreads requests over the sessions in $SESSIONS (one cookie per line), so the run is many
-- concurrent console sessions rather than one, and prints the 95th percentile wrk's --latency omits.
local cookies = {}
local counter = 0

function init(args)
  for line in io.lines(os.getenv("SESSIONS")) do cookies[#cookies + 1] = line end
end

function request()
  counter = counter + 1
  wrk.headers["Cookie"] = cookies[(counter % #cookies) + 1]
  return wrk.format()
end

function done(summary, latency, requests)
  io.write(string.format("p95_ms %.2f\n", latency:percentile(95.0) / 1000))
end
