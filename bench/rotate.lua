-- Rotates over N project pages (N from the first script argument, default 500), one per request.
local n = 500
local i = 0
local accept = "text/html"

function init(args)
  if args[1] then n = tonumber(args[1]) end
  -- Each wrk thread starts at a different offset so the threads do not march in step.
  i = math.random(0, n - 1)
end

function request()
  i = (i + 1) % n
  return wrk.format("GET", string.format("/simple/bench-project-%04d/", i), { ["Accept"] = accept })
end
