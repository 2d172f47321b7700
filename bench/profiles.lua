-- wrk script: the reference of bench/run forms — the same new person written by the REST API (one profile upsert per request).
local key = os.getenv("ORBITA_KEY")
local n = 0
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  tag = string.format("%x%06x", os.time(), math.random(0, 0xffffff))
end
request = function()
  n = n + 1
  local body = string.format('{"matching":"email","fields":{"email":"r%s%09d@bench.example","name":"Bench %d"}}', tag, n, n)
  return wrk.format("POST", "/api/v1/databases/bench/profiles", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
response = function(status, headers, body)
  if status ~= 201 and status ~= 200 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
