-- wrk script for run.sh: counts every response by status class, and the 502, 503 and 504 answers (nginx's own
-- when no upstream could answer, or an upstream's) apart. Each wrk thread runs its own Lua state, so the counters
-- are per thread; done() sums them through thread:get() and prints one line that run.sh reads:
--   WRK requests=N s2xx=N s3xx=N s4xx=N s5xx=N s502=N s503=N s504=N connect=N read=N write=N timeout=N failures=N
-- failures = responses that are not 2xx or 3xx + socket errors (connect, read, write). wrk's timeout count is no
-- count of requests: every 2 s it adds one for each connection whose request has waited longer than --timeout, and
-- the request may still be answered (and then counted by its status); it is printed apart.

-- run.sh sets WRK_CLOSE=1 when it reloads nginx during the run: a reload closes nginx's idle client connections,
-- and a request crossing that close fails in wrk (which retries nothing); one connection per request avoids it.
if os.getenv("WRK_CLOSE") == "1" then
   wrk.headers["Connection"] = "close"
end

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   s2xx, s3xx, s4xx, s5xx, sother, s502, s503, s504 = 0, 0, 0, 0, 0, 0, 0, 0
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      s2xx = s2xx + 1
   elseif status >= 300 and status < 400 then
      s3xx = s3xx + 1
   elseif status >= 400 and status < 500 then
      s4xx = s4xx + 1
   elseif status >= 500 and status < 600 then
      s5xx = s5xx + 1
      if status == 502 then s502 = s502 + 1 elseif status == 503 then s503 = s503 + 1
      elseif status == 504 then s504 = s504 + 1 end
   else
      sother = sother + 1
   end
end

function done(summary, latency, requests)
   local names = { "s2xx", "s3xx", "s4xx", "s5xx", "sother", "s502", "s503", "s504" }
   local t = {}
   for _, k in ipairs(names) do t[k] = 0 end
   for _, thread in ipairs(threads) do
      for _, k in ipairs(names) do t[k] = t[k] + thread:get(k) end
   end
   local e = summary.errors
   local socket = e.connect + e.read + e.write
   local failures = t.s4xx + t.s5xx + t.sother + socket
   io.write(string.format(
      "WRK requests=%d s2xx=%d s3xx=%d s4xx=%d s5xx=%d sother=%d s502=%d s503=%d s504=%d " ..
      "connect=%d read=%d write=%d timeout=%d failures=%d p99_ms=%.1f max_ms=%.1f\n",
      summary.requests, t.s2xx, t.s3xx, t.s4xx, t.s5xx, t.sother, t.s502, t.s503, t.s504,
      e.connect, e.read, e.write, e.timeout, failures,
      latency:percentile(99) / 1000, latency.max / 1000))
end
