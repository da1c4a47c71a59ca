-- Q2 status polls as a waiting crowd makes them: every request polls with a token of its own from
-- the file named by POLL_TOKENS (one JWT a line), the wrk threads walking it half the file apart,
-- so requests in flight seldom share a token (a crowd of one token, polled over and over, would let
-- the gateway answer many polls with one lookup and measure nothing real).
local tokens = {}
for line in io.lines(os.getenv("POLL_TOKENS")) do
  if #line > 0 then tokens[#tokens + 1] = line end
end
local threads = 0
local counter = 0

setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

request = function()
  counter = counter + 1
  local start = (id - 1) * math.floor(#tokens / 2)
  local token = tokens[(start + counter) % #tokens + 1]
  return wrk.format("GET", "/api/v1/queue/status", {["Queue-Token"] = token})
end
