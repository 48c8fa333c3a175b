-- PUT /ovo/counters: adds 1 to one counter (bench-counter), or with COUNTERS (env) set, to
-- counters bench-counter-0 .. COUNTERS-1 in turn (spread over the slots, so over the shards).
local counters = tonumber(os.getenv("COUNTERS") or "0")
local counter = 0
wrk.method = "PUT"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local key = "bench-counter"
  if counters > 0 then
    counter = counter + 1
    key = "bench-counter-" .. (counter % counters)
  end
  return wrk.format(nil, "/ovo/counters", nil, string.format('{"Key":"%s","Value":1}', key))
end
