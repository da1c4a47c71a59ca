-- Forged queue tokens, as a flood would send them: the header and claims of a genuine token (the real key id)
-- with a made-up ES256 signature (64 random bytes), a different one on every request, so no cache can answer
-- them; on Q2. FLOOD_TOKEN is the genuine token to copy; FLOOD_ADDRESSES is how many client addresses the flood
-- comes from (X-Forwarded-For, which the gateway trusts for one hop in this benchmark): 1 = one attacker.
local parts = {}
for part in string.gmatch(os.getenv("FLOOD_TOKEN"), "[^.]+") do parts[#parts + 1] = part end
local unsigned = parts[1] .. "." .. parts[2] .. "."
local addresses = tonumber(os.getenv("FLOOD_ADDRESSES") or "1")
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

init = function()
  math.randomseed(os.time() * 100 + id)
end

request = function()
  local signature = {}
  for i = 1, 86 do
    local k = math.random(1, 64)
    signature[i] = string.sub(alphabet, k, k)
  end
  local n = math.random(0, addresses - 1)
  local address = string.format("198.51.%d.%d", math.floor(n / 250) % 250, n % 250 + 1)
  return wrk.format("GET", "/api/v1/queue/status", {
    ["Queue-Token"] = unsigned .. table.concat(signature),
    ["X-Forwarded-For"] = address})
end

