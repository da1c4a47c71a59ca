-- R1 hold attempts as a crowd on one sold-out date makes them: every request holds one or two random
-- seats of the schedule named by HOLD_SCHEDULE with an ACTIVE token of its own from the file named by
-- HOLD_TOKENS (one JWT a line). Most are refused (409: seat taken, or the token already holds seats);
-- holds end after RESERVATION_HOLD_TTL (a few seconds in the benchmark), so seats keep coming free.
local tokens = {}
for line in io.lines(os.getenv("HOLD_TOKENS")) do
  if #line > 0 then tokens[#tokens + 1] = line end
end
local schedule = os.getenv("HOLD_SCHEDULE")
local threads = 0
local counter = 0

setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

init = function(args)
  math.randomseed(os.time() + id)
end

request = function()
  counter = counter + 1
  local start = (id - 1) * math.floor(#tokens / 2)
  local token = tokens[(start + counter) % #tokens + 1]
  local first = math.random(1, 49)
  local seats = tostring(first)
  if math.random() < 0.5 then seats = seats .. "," .. tostring(first + 1) end
  local body = string.format('{"scheduleId": %s, "seatNos": [%s]}', schedule, seats)
  return wrk.format("POST", "/api/v1/reservations", {["Content-Type"] = "application/json", ["Queue-Token"] = token}, body)
end
