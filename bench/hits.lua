-- wrk script: the site collection endpoint (bench/run hits): each request one batch from one of
-- BENCH_VISITORS visitors with BENCH_HITS page views, every hit a new id, from the site's origin.
local site = os.getenv("BENCH_SITE")
local per = tonumber(os.getenv("BENCH_HITS") or "1")
local visitors = tonumber(os.getenv("BENCH_VISITORS") or "10000")
local n = 0
-- ids unique across runs (warm-up, measured) and threads: a run's own tag first
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  tag = string.format("%x%06x", os.time(), math.random(0, 0xffffff))
end
request = function()
  local hits = {}
  for i = 1, per do
    n = n + 1
    hits[i] = string.format('{"kind":"page","id":"h%s%09d","time":%d000,"url":"https://bench.example/p/%d","title":"Page"}',
      tag, n, os.time(), n % 50)
  end
  local body = string.format('{"visitor":"bench-visitor-%06d","language":"en","screen":"1280x800","hits":[%s]}',
    math.random(0, visitors - 1), table.concat(hits, ","))
  return wrk.format("POST", "/t/s/" .. site .. "/collect", {["Content-Type"] = "text/plain", ["Origin"] = "https://bench.example",
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"}, body)
end
response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
