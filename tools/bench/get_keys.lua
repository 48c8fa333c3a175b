-- GET of the keys bulk-0 .. bulk-(BULK_KEYS - 1) in turn: the single requests an mget replaces.
local n = tonumber(os.getenv("BULK_KEYS") or "100")
local i = 0
request = function()
  local path = "/ovo/keystorage/bulk-" .. i
  i = (i + 1) % n
  return wrk.format("GET", path)
end
