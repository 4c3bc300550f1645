-- wrk script: GET requests spread evenly over the tenants listed (one a line) in the file named
-- by the script's first argument, in the X-Tenant-Id header; at the end, one line starting
-- with WRK_JSON that bench/benchkit/wrk.py reads (requests, errors, latency percentiles in µs).
--   wrk -t1 -c64 -d5s -s bench/benchkit/tenants.lua http://127.0.0.1:8080/ -- legacy.tenants
local thread_count = 0

-- Each wrk thread starts at its own offset so threads do not walk the tenants in lockstep.
function setup(thread)
  thread:set("offset", thread_count * 7919)
  thread_count = thread_count + 1
end

local requests = {}
local next_request = 1

-- Every request is formatted once here: request() only hands out strings, so wrk's own cost
-- per request stays what it is without a script (wrk shares its core with the backends).
function init(args)
  local path = args[1] or error("tenants.lua: give the tenants file after --")
  for tenant in io.lines(path) do
    if tenant ~= "" then
      requests[#requests + 1] = wrk.format(nil, nil, { ["X-Tenant-Id"] = tenant })
    end
  end
  if #requests == 0 then error("tenants.lua: no tenants in " .. path) end
  next_request = (offset or 0) % #requests + 1
end

function request()
  local formatted = requests[next_request]
  next_request = next_request % #requests + 1
  return formatted
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "max": %d, "p50": %d, "p75": %d, "p90": %d, "p99": %d, ' ..
    '"p99.9": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(75),
    latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
