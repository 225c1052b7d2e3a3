-- wrk script: GET <path prefix><random case id><suffix> with a Bearer key, over the ids in $CASE_IDS; prints p50/p99.
local ids = {}
for line in io.lines(os.getenv("CASE_IDS")) do ids[#ids + 1] = line end
local suffix = os.getenv("SUFFIX") or ""
local key = os.getenv("KEY")

function request()
  return wrk.format("GET", "/v1/cases/" .. ids[math.random(#ids)] .. suffix, { ["Authorization"] = "Bearer " .. key })
end

function done(summary, latency, requests)
  io.write(string.format("p50_ms %.2f\np99_ms %.2f\n", latency:percentile(50.0) / 1000, latency:percentile(99.0) / 1000))
end
