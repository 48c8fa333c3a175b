-- PUT of a value of VALUE_BYTES bytes (env, default 100) under 1,000 rotating keys.
local value_bytes = tonumber(os.getenv("VALUE_BYTES") or "100")
local b64 = string.rep("A", math.ceil(value_bytes / 3) * 4)
local counter = 0
wrk.method = "PUT"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local body = string.format('{"Key":"bench-%d","Data":"%s"}', counter % 1000, b64)
  return wrk.format(nil, "/ovo/keystorage", nil, body)
end
