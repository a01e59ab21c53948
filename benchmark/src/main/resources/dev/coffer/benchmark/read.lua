-- wrk script for Coffer's read throughput phase: every request reads a random secret of the data
-- set, with the bearer token. The paths file and the token come from the environment, so that the
-- token does not appear in the process list.
local paths = {}
local token = os.getenv("COFFER_BENCH_TOKEN")
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  for line in io.lines(os.getenv("COFFER_BENCH_PATHS")) do
    paths[#paths + 1] = line
  end
  math.randomseed(os.time() * 1000 + (seed or 0))
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "COFFER-WRK {\"requests\":%d,\"durationMicros\":%d,\"bytes\":%d,\"connectErrors\":%d,"
      .. "\"readErrors\":%d,\"writeErrors\":%d,\"statusErrors\":%d,\"timeouts\":%d,"
      .. "\"min\":%d,\"p50\":%d,\"p90\":%d,\"p99\":%d,\"p999\":%d,\"max\":%d,\"mean\":%.1f}\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency.min, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end
