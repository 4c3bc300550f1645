-- wrk script: spreads requests evenly over 10,000 tenants, t00000 … t09999, named in the
-- X-Tenant-Id header, so switchyard's per-tenant lookup is exercised across the whole table.
--   wrk -t2 -c64 -d10s -s bench/wrk/tenants.lua http://127.0.0.1:8080/api/items
local tenant_count = 10000
local thread_index = 0

-- Each wrk thread starts at its own offset so threads do not walk the tenants in lockstep.
function setup(thread)
  thread:set("offset", thread_index * 7919)
  thread_index = thread_index + 1
end

local next_tenant = 0
function init(args)
  next_tenant = (offset or 0) % tenant_count
end

function request()
  local tenant = string.format("t%05d", next_tenant)
  next_tenant = (next_tenant + 1) % tenant_count
  return wrk.format("GET", nil, { ["X-Tenant-Id"] = tenant })
end
