-- POST /ovo/mget of BULK_KEYS (env, default 100) keys bulk-0, bulk-1, ... stored beforehand.
local n = tonumber(os.getenv("BULK_KEYS") or "100")
local keys = {}
for i = 0, n - 1 do keys[#keys + 1] = '"bulk-' .. i .. '"' end
wrk.method = "POST"
wrk.path = "/ovo/mget"
wrk.body = '{"Keys":[' .. table.concat(keys, ",") .. ']}'
wrk.headers["Content-Type"] = "application/json"
