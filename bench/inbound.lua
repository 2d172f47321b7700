-- wrk script: inbound webhook deliveries (bench/run inbound-wrk): each request one CRM lead as JSON — a new id and a new
-- email, so every request upserts a new profile (a field, an email subscription) and records lead.received.
local path = os.getenv("BENCH_PATH")
local n = 0
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  tag = string.format("%x%06x", os.time(), math.random(0, 0xffffff))
end
request = function()
  n = n + 1
  local body = string.format('{"lead":{"id":"L%s%09d","email":"l%s%09d@bench.example","name":"Lead %d","city":"Kazan","amount":%d}}',
    tag, n, tag, n, n, n % 500)
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end
response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
