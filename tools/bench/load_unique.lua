-- Writes TOTAL (env) objects with distinct 16-byte keys and 32-byte values, then stops.
-- TTL (env, seconds, default 0) is set on every object.
local threads_started = 0
function setup(thread)
  thread:set("id", threads_started)
  threads_started = threads_started + 1
end

local counter, limit, ttl = 0, 0, tonumber(os.getenv("TTL") or "0")
local value = string.rep("A", 43) .. "="  -- base64 of exactly 32 bytes
function init(args)
  limit = math.floor(tonumber(os.getenv("TOTAL") or "1000000") / tonumber(os.getenv("THREADS") or "2"))
end

request = function()
  counter = counter + 1
  local key = string.format("k%02d%013d", id, counter)  -- 16 bytes
  local body = string.format('{"Key":"%s","Data":"%s","TTL":%d}', key, value, ttl)
  return wrk.format("PUT", "/ovo/keystorage", {["Content-Type"] = "application/json"}, body)
end

response = function()
  if counter >= limit then wrk.thread:stop() end
end
