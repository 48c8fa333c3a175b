-- PUT of a value of VALUE_BYTES bytes (env, default 100) under rotating keys: the lines of
-- KEYS_FILE (env) when given, else 1,000 keys bench-0 .. bench-999.
local value_bytes = tonumber(os.getenv("VALUE_BYTES") or "100")
local b64 = string.rep("A", math.ceil(value_bytes / 3) * 4)
local keys = {}
local keys_file = os.getenv("KEYS_FILE")
if keys_file then
  for line in io.lines(keys_file) do keys[#keys + 1] = line end
else
  for i = 0, 999 do keys[#keys + 1] = "bench-" .. i end
end
local counter = 0
wrk.method = "PUT"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local body = string.format('{"Key":"%s","Data":"%s"}', keys[counter % #keys + 1], b64)
  return wrk.format(nil, "/ovo/keystorage", nil, body)
end
