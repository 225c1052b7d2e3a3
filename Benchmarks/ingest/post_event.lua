-- wrk script: each request posts a new acute admission of a new elderly citizen (unique source id and CPR).
local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

local counter = 0
local headers = {}

function init(args)
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. os.getenv("INGEST_KEY")
end

function request()
  counter = counter + 1
  local n = tid * 10000000 + counter
  -- Born 1940–1955 (serial 1000–3999: 20th century), so every citizen is eligible for subacute-elderly.
  local day = 1 + (n % 28)
  local month = 1 + (math.floor(n / 28) % 12)
  local year = 40 + (math.floor(n / 336) % 16)
  local serial = 1000 + (math.floor(n / 5376) % 3000)
  local body = string.format(
    '{"source":"wrk","id":"%d","type":"hospital.admitted","occurred_at":"2026-01-01T10:00:00Z","cpr":"%02d%02d%02d-%04d",' ..
    '"attributes":{"episode_id":"%d","admission":"acute","actor":"bench-hospital"}}',
    n, day, month, year, serial, n)
  return wrk.format("POST", "/v1/events", headers, body)
end
