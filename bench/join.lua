-- Q1 joins, each with a new user id, so every request issues a token (not the 200 replay path).
local counter = 0
local base = math.random(1, 1000000) * 1000000

setup = function(thread)
  thread:set("offset", math.random(1, 1000) * 100000000)
end

request = function()
  counter = counter + 1
  local body = string.format('{"userId": %d}', base + offset + counter)
  return wrk.format("POST", "/api/v1/queue/tokens", {["Content-Type"] = "application/json"}, body)
end
