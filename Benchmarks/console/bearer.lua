-- wrk script for the JSON baseline: the same reads with a Bearer key; the same think time as sessions.lua; prints
-- the 95th percentile.
local think = tonumber(os.getenv("THINK_MS") or "0")

function delay()
  if think <= 0 then return 0 end
  return think * (0.5 + math.random())
end

function done(summary, latency, requests)
  io.write(string.format("p95_ms %.2f\n", latency:percentile(95.0) / 1000))
end
