-- wrk script: GET a random seeded profile by its email (bench/run lookup).
local key = os.getenv("ORBITA_KEY")
local profiles = tonumber(os.getenv("BENCH_PROFILES") or "100000")
math.randomseed(os.time())
request = function()
  local path = "/api/v1/databases/bench/profiles?matching=email&value=seed" .. math.random(0, profiles - 1) .. "@example.com"
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. key})
end
response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
