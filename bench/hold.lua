-- R1 hold attempts as a crowd on one sold-out date makes them: every request holds one or two random
-- seats of the schedule named by HOLD_SCHEDULE with an ACTIVE token of its own from the file named by
-- HOLD_TOKENS (one JWT a line). Most are refused (409: seat taken, or the token already holds seats);
-- holds end after RESERVATION_HOLD_TTL (a few seconds in the benchmark), so seats keep coming free.
-- HOLD_DIRECT=1: straight to reservation-service, each line of HOLD_TOKENS "<userId> <token id>", sent in
-- the identity headers the gateway would set. HOLD_STATUSES=1: prints how many answers had each status.
local tokens = {}
local direct = os.getenv("HOLD_DIRECT") == "1"
for line in io.lines(os.getenv("HOLD_TOKENS")) do
  if #line > 0 then tokens[#tokens + 1] = line end
end
local schedule = os.getenv("HOLD_SCHEDULE")
local threads = {}
local counter = 0
statuses = {} -- global: done() reads each thread's with thread:get

setup = function(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
end

init = function(args)
  math.randomseed(os.time() + id)
end

request = function()
  counter = counter + 1
  local start = (id - 1) * math.floor(#tokens / 2)
  local line = tokens[(start + counter) % #tokens + 1]
  local first = math.random(1, 49)
  local seats = tostring(first)
  if math.random() < 0.5 then seats = seats .. "," .. tostring(first + 1) end
  local body = string.format('{"scheduleId": %s, "seatNos": [%s]}', schedule, seats)
  local headers = {["Content-Type"] = "application/json"}
  if direct then
    local user, tokenId = line:match("(%S+) (%S+)")
    headers["X-User-Id"] = user
    headers["X-Queue-Token-Id"] = tokenId
  else
    headers["Queue-Token"] = line
  end
  return wrk.format("POST", "/api/v1/reservations", headers, body)
end

if os.getenv("HOLD_STATUSES") == "1" then
  response = function(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
  end

  done = function(summary, latency, requests)
    local all = {}
    for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do all[status] = (all[status] or 0) + n end
    end
    local line = "statuses"
    for status, n in pairs(all) do line = line .. " " .. status .. "=" .. n end
    print(line)
  end
end
