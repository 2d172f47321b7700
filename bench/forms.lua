-- wrk script: form submissions (bench/run forms): each request one valid submission of a new person — a new submission
-- id and a new email, so every request upserts a new profile and records form.submitted.
local form = os.getenv("BENCH_FORM")
local shown = os.getenv("BENCH_SHOWN")
local n = 0
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  tag = string.format("%x%06x", os.time(), math.random(0, 0xffffff))
end
request = function()
  n = n + 1
  local body = string.format('{"id":"s%s%09d","shown":"%s","hp":"","answers":{"email":"p%s%09d@bench.example","name":"Bench %d"},'
    .. '"page":"https://bench.example/signup?utm_source=bench"}', tag, n, shown, tag, n, n)
  return wrk.format("POST", "/t/f/" .. form .. "/submit", {["Content-Type"] = "text/plain"}, body)
end
response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
