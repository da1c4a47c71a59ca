-- Q1 joins, each with a new user id, so every request issues a token (not the 200 replay path).
-- The id is the thread's start second, its number and a counter, so neither a second wrk run (the
-- benchmark's measured run follows a warm-up) nor a second thread repeats an id: Lua's random numbers
-- are the same sequence in every run. Built as a string, since Lua numbers are doubles.
local threads = 0
local counter = 0

setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

init = function(args)
  started = os.time()
end

request = function()
  counter = counter + 1
  local body = string.format('{"userId": %d%02d%07d}', started, id, counter)
  return wrk.format("POST", "/api/v1/queue/tokens", {["Content-Type"] = "application/json"}, body)
end
