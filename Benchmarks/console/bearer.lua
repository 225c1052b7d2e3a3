-- wrk script for the JSON baseline: the same reads with a Bearer key; prints the 95th percentile.
function done(summary, latency, requests)
  io.write(string.format("p95_ms %.2f\n", latency:percentile(95.0) / 1000))
end
