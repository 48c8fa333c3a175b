-- Writes TOTAL (env) objects with distinct 16-byte keys and VALUE_BYTES-byte values (env,
-- default 32), then stops. TTL (env, seconds, default 0) is set on every object. With
-- METHOD=DELETE (env) it deletes the same keys instead.
local threads_started = 0
function setup(thread)
  thread:set("id", threads_started)
  threads_started = threads_started + 1
end

local counter, limit, ttl = 0, 0, tonumber(os.getenv("TTL") or "0")
-- The base64 of exactly VALUE_BYTES zero-ish bytes ("A" is 0, padding fills the tail).
local value_bytes = tonumber(os.getenv("VALUE_BYTES") or "32")
local value = string.rep("A", math.floor(value_bytes / 3) * 4) ..
              ({"", "AA==", "AAA="})[value_bytes % 3 + 1]
local method = os.getenv("METHOD") or "PUT"
function init(args)
  limit = math.floor(tonumber(os.getenv("TOTAL") or "1000000") / tonumber(os.getenv("THREADS") or "2"))
end

request = function()
  counter = counter + 1
  local key = string.format("k%02d%013d", id, counter)  -- 16 bytes
  if method == "DELETE" then return wrk.format("DELETE", "/ovo/keystorage/" .. key) end
  local body = string.format('{"Key":"%s","Data":"%s","TTL":%d}', key, value, ttl)
  return wrk.format("PUT", "/ovo/keystorage", {["Content-Type"] = "application/json"}, body)
end

response = function()
  if counter >= limit then wrk.thread:stop() end
end
