-- wrk script: spreads requests over the sessions in $SESSIONS (one cookie per line), so the run is many
-- concurrent console sessions rather than one, and prints the 95th percentile wrk's --latency omits.
local cookies = {}
local counter = 0

local think = tonumber(os.getenv("THINK_MS") or "0")

function init(args)
  for line in io.lines(os.getenv("SESSIONS")) do cookies[#cookies + 1] = line end
  math.randomseed(os.time() + (args[1] and #args[1] or 0))
end

-- A person reads a page before asking for the next: each connection waits THINK_MS (± half, uniformly) between
-- its requests. THINK_MS=0 is the saturation run: every connection asks again the moment it has its answer.
function delay()
  if think <= 0 then return 0 end
  return think * (0.5 + math.random())
end

function request()
  counter = counter + 1
  wrk.headers["Cookie"] = cookies[(counter % #cookies) + 1]
  return wrk.format()
end

function done(summary, latency, requests)
  io.write(string.format("p95_ms %.2f\n", latency:percentile(95.0) / 1000))
end
