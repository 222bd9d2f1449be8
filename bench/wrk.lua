-- wrk script for `make bench`: optional headers from the environment, an optional
-- state-changing POST (a tick that alternates between two statuses on a spread of
-- skills, so every request really changes a row), and a JSON summary line with p95.
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
local htmx = os.getenv("BENCH_HTMX")
local tick_skills = os.getenv("BENCH_TICK_SKILLS")

local skills = {}
if tick_skills then
  for slug in string.gmatch(tick_skills, "[^,]+") do table.insert(skills, slug) end
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("offset", thread_count)
  thread_count = thread_count + 1
  thread:set("stride", 0) -- set below, once every thread exists
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  if cookie then wrk.headers["Cookie"] = cookie end
  if csrf then wrk.headers["X-CSRFToken"] = csrf end
  if htmx then wrk.headers["HX-Request"] = "true" end
  if #skills > 0 then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end

function request()
  if #skills == 0 then
    return wrk.format()
  end
  -- Each thread takes every other skill (offset 0 or 1, stride 2); one pass sets "done",
  -- the next "learning", and so on: each POST changes the row it touches.
  local per_thread = math.floor(#skills / 2)
  local i = counter % per_thread
  local pass = math.floor(counter / per_thread)
  counter = counter + 1
  local slug = skills[i * 2 + offset + 1]
  local status = (pass % 2 == 0) and "done" or "learning"
  return wrk.format(nil, "/path/skills/" .. slug .. "/status/", nil, "status=" .. status)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "socket_errors": %d, "status_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
