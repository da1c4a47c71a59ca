-- R1 hold attempts: 1,000 admitted clients compete for the 50 seats of one schedule (HOLDS_SCHEDULE).
-- Through the gateway, HOLDS_TOKENS names a file of lines "userId token" (the signed token). With
-- HOLDS_DIRECT=1, straight to reservation-service: lines "userId tokenId", sent in the identity
-- headers the gateway would set.
-- Each request is one client asking for one seat or a pair, at random. Outcomes are counted per
-- thread and summed in done().
local threads = {}
local counter = 1

setup = function(thread)
  thread:set("index", counter)
  thread:set("threadCount", 0) -- filled in below once every thread exists
  table.insert(threads, thread)
  counter = counter + 1
end

local tokens = {}
local users = {}
local direct = os.getenv("HOLDS_DIRECT") == "1"
local schedule
local next_token = 1
created, seat_unavailable, limit, other = 0, 0, 0, 0

init = function(args)
  schedule = os.getenv("HOLDS_SCHEDULE")
  local n = tonumber(os.getenv("HOLDS_THREADS") or "2")
  local i = 0
  for line in io.lines(os.getenv("HOLDS_TOKENS")) do
    if i % n == index - 1 then
      local user, token = line:match("(%d+) (%S+)")
      table.insert(tokens, token)
      table.insert(users, user)
    end
    i = i + 1
  end
  math.randomseed(os.time() + index)
end

request = function()
  local token = tokens[next_token]
  local user = users[next_token]
  next_token = next_token % #tokens + 1
  local a = math.random(1, 50)
  local seats
  if math.random() < 0.5 then
    seats = tostring(a)
  else
    local b = a
    while b == a do b = math.random(1, 50) end
    seats = a .. "," .. b
  end
  local body = '{"scheduleId": ' .. schedule .. ', "seatNos": [' .. seats .. ']}'
  local headers = {["Content-Type"] = "application/json"}
  if direct then
    headers["X-User-Id"] = user
    headers["X-Queue-Token-Id"] = token
  else
    headers["Queue-Token"] = token
  end
  return wrk.format("POST", "/api/v1/reservations", headers, body)
end

response = function(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 409 and body:find("SEAT_UNAVAILABLE", 1, true) then
    seat_unavailable = seat_unavailable + 1
  elseif status == 409 and body:find("RESERVATION_LIMIT", 1, true) then
    limit = limit + 1
  else
    other = other + 1
    if other <= 3 then io.stderr:write("unexpected " .. status .. " " .. body .. "\n") end
  end
end

done = function(summary, latency, requests)
  local c, s, l, o = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    s = s + t:get("seat_unavailable")
    l = l + t:get("limit")
    o = o + t:get("other")
  end
  io.write(string.format("outcomes created=%d seat_unavailable=%d reservation_limit=%d other=%d\n", c, s, l, o))
end
