"""`make bench`: the app in production mode under gunicorn on PostgreSQL, loaded by wrk.

For each population (100 and 10,000 users) it prepares a database (migrate, catalogue,
seed_population; kept between runs), starts gunicorn, signs in as the user with the longest
path, and measures every page with wrk from a second process: requests per second, p50, p95
and p99 latency, errors, the ratio to the floor (a constant response through the same
middleware, measured in the same run), SQL queries per request, response sizes, the whole
page weight as a browser loads it, and the peak memory of each worker. It prints one table
and writes docs/benchmarks.md.
"""

import argparse
import datetime
import gzip
import json
import os
import platform
import re
import runpy
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import Browserish  # noqa: E402

PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")
BASE_URL = os.environ.get("BENCH_DATABASE_BASE", "postgres://roadmap:roadmap@127.0.0.1:5432")
USER = "bench-user-0"
REDIS_URL = ""  # set in main(): production runs with Redis for the cache and sessions
PASSWORD = "bench-password-123"

PAGES = {
    "floor": {"method": "get", "url": "/bench/floor/"},
    "home": {"method": "get", "url": "/"},
    # Signed out: the cached page as every visitor gets it; signed in: with where the user
    # stands and their status on each of the role's skills.
    "role": {"method": "get", "url": "/roles/ai-engineer/", "anonymous": True},
    "role (signed in)": {"method": "get", "url": "/roles/ai-engineer/"},
    "certs (htmx)": {"method": "get", "url": "/certifications/?provider=AWS", "htmx": True},
    "compare": {
        "method": "get",
        "url": "/certifications/compare/?c=aws-ml-engineer-associate"
        "&c=google-professional-ml-engineer&c=azure-ai-apps-agents-developer-associate",
    },
    "search": {"method": "get", "url": "/search/?q=engineer"},
    "my path": {"method": "get", "url": "/path/"},
    "changelog": {"method": "get", "url": "/changes/"},
    "changes feed": {"method": "get", "url": "/changes/feed/"},
    "api certs": {"method": "get", "url": "/api/v1/certifications/"},
    "api roles": {"method": "get", "url": "/api/v1/roles/"},
    "tick (htmx)": {
        "method": "post",
        "url": "/path/skills/docker/status/",
        "data": {"status": "done"},
        "htmx": True,
    },
}
TARGETS = {"my path": 0.30, "tick (htmx)": 0.20, "team matrix": 0.10}


def env_for(db_url, **extra):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DEBUG="false",
        LOCAL_HTTP="true",
        SECRET_KEY="bench-secret-key-not-for-production-0123456789abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=db_url,
        BENCHMARK_ENDPOINTS="true",
        STATIC_ROOT=str(ROOT / "bench" / "results" / "static"),
        ACCESS_LOG="",
        LOG_LEVEL="WARNING",
        REDIS_URL=REDIS_URL,
    )
    env.update(extra)
    return env


def manage(db_url, *args, capture=False):
    return subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env_for(db_url),
        check=True,
        capture_output=capture,
        text=True,
    )


def psql(db, sql):
    return subprocess.run(
        ["psql", f"{BASE_URL}/{db}", "-tAc", sql], capture_output=True, text=True
    ).stdout.strip()


def prepare(users):
    """A database with the catalogue and `users` users; reused when it is already there."""
    db = f"roadmap_bench_{users}"
    url = f"{BASE_URL}/{db}"
    have = psql(db, "SELECT count(*) FROM accounts_user WHERE username LIKE 'bench-user-%'")
    if have == str(users):
        print(f"  reusing {db} ({users} users)")
        manage(url, "migrate", "--no-input", "-v", "0")  # the schema may have moved on
        return url
    subprocess.run(
        ["dropdb", "--if-exists", f"--maintenance-db={BASE_URL}/postgres", db], check=True
    )
    subprocess.run(["createdb", f"--maintenance-db={BASE_URL}/postgres", db], check=True)
    manage(url, "migrate", "--no-input", "-v", "0")
    manage(url, "load_catalogue")
    manage(url, "seed_population", "--users", str(users), "--skills", "100")
    psql(db, "VACUUM ANALYZE")
    return url


def server_config(workers=None, threads=None):
    """What gunicorn.conf.py (production's settings) gives on this machine: {"workers",
    "threads", "worker_class"}, with `workers` and `threads` overriding it as
    WEB_CONCURRENCY and GUNICORN_THREADS do in production."""
    env = {}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    if threads:
        env["GUNICORN_THREADS"] = str(threads)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return {
        "workers": conf["workers"],
        "threads": conf["threads"],
        "worker_class": conf["worker_class"],
    }


PIN = True  # set in main(): --no-pin leaves every process free to run on any core


def cpu_split():
    """(CPUs for wrk, CPUs for gunicorn): on two or more CPUs, wrk gets the first and
    gunicorn the rest, so that the load generator and the workers do not take turns on the
    same core; on one CPU (or without taskset, or with --no-pin), None for both: nothing is
    pinned. PostgreSQL and Redis are services of the machine and stay unpinned."""
    cpus = sorted(os.sched_getaffinity(0))
    if not PIN or len(cpus) < 2 or not shutil.which("taskset"):
        return None, None
    return cpus[:1], cpus[1:]


def pinned(command, cpus):
    """`command` run on `cpus` only (taskset), or as it is when `cpus` is None."""
    if not cpus:
        return command
    return ["taskset", "-c", ",".join(str(c) for c in cpus), *command]


def start_server(db_url, port, config, cpus=None):
    """gunicorn with production's settings (gunicorn.conf.py: gthread workers and their
    threads), `config` being server_config()'s answer, pinned to `cpus`."""
    proc = subprocess.Popen(
        pinned(
            [
                GUNICORN,
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cpus,
        ),
        cwd=ROOT,
        env=env_for(
            db_url,
            WEB_CONCURRENCY=str(config["workers"]),
            GUNICORN_THREADS=str(config["threads"]),
            # Production recycles a worker after about 2,000 requests; at a benchmark's rate
            # that is every few seconds, and each restart stalls the worker's connections
            # (closing some: wrk's socket errors) while Django loads again.
            GUNICORN_MAX_REQUESTS="0",
        ),
    )
    base = f"http://127.0.0.1:{port}"
    client = Browserish()
    for _ in range(300):
        try:
            if client.request(base + "/healthz/")[0] == 200:
                return proc, base
        except OSError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def worker_peak_memory_mb(master_pid):
    children = subprocess.run(
        ["pgrep", "-P", str(master_pid)], capture_output=True, text=True
    ).stdout.split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
        peaks.append(kb / 1024)
    return max(peaks) if peaks else 0.0


def run_wrk(base, spec, session_cookie, csrf, duration, connections, tick_skills, cpus=None):
    env = dict(os.environ)
    if spec.get("htmx"):
        env["BENCH_HTMX"] = "1"
    if not spec.get("anonymous"):
        env["BENCH_COOKIE"] = session_cookie
        env["BENCH_CSRF"] = csrf
    if spec["method"] == "post":
        env["BENCH_TICK_SKILLS"] = ",".join(tick_skills)
    out = subprocess.run(
        pinned(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{duration}s",
                "--latency",
                "-s",
                str(ROOT / "bench" / "wrk.lua"),
                base + spec["url"],
            ],
            cpus,
        ),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    data = json.loads(out.split("JSON ", 1)[1].splitlines()[0])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def page_weight(client, base, url, htmx=False):
    """Bytes a browser transfers for the page: HTML (gzip) plus its CSS and JS (brotli)."""
    headers = {"Accept-Encoding": "br, gzip"}
    status, _, html = client.request(base + url, headers=headers)
    total = len(gzip.compress(html.encode(), compresslevel=6))
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/static/[^"]+)"', html)
    for asset in sorted(set(assets)):
        req = urllib.request.Request(base + asset, headers=headers)
        with urllib.request.urlopen(req) as response:
            total += len(response.read())
    return total, len(assets)


def bench_population(users, args):
    print(f"== {users} users")
    db_url = prepare(users)
    manage(db_url, "collectstatic", "--no-input", "-v", "0")
    # The tick benchmark alternates statuses; start the user's rows from a known state.
    psql(
        db_url.rsplit("/", 1)[1],
        "UPDATE roadmap_skillprogress SET status = 'not_started' WHERE user_id = "
        f"(SELECT id FROM accounts_user WHERE username = '{USER}')",
    )
    tick_skills = psql(
        db_url.rsplit("/", 1)[1], "SELECT string_agg(slug, ',' ORDER BY slug) FROM roadmap_skill"
    ).split(",")
    if REDIS_URL:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    # The changelog: 500 real changes (a role's summary edited and put back), made once.
    manage(db_url, "seed_changes", "--count", "500")
    # The team page (its plan and matrix): bench-user-0 owns a team of up to 200 seeded users.
    manage(db_url, "seed_team", "--members", str(min(users - 1, 200)))
    team_id = psql(
        db_url.rsplit("/", 1)[1], "SELECT id FROM accounts_team WHERE name = 'Bench team'"
    )
    pages = {**PAGES, "team matrix": {"method": "get", "url": f"/teams/{team_id}/"}}
    # The floor again at the end: how steady the machine was over the run.
    pages["floor (end)"] = PAGES["floor"]
    if args.pages:
        wanted = {"floor", "floor (end)", *args.pages.split(",")}
        pages = {name: spec for name, spec in pages.items() if name in wanted}
    wrk_cpus, server_cpus = cpu_split()
    proc, base = start_server(db_url, args.port, args.server, server_cpus)
    try:
        client = Browserish()
        csrf = client.sign_in(base, USER, PASSWORD)
        cookie = "; ".join(f"{c.name}={c.value}" for c in client.jar)
        measured = json.loads(
            subprocess.run(
                [PY, str(ROOT / "bench" / "measure.py"), json.dumps(pages), USER],
                cwd=ROOT,
                env=env_for(db_url),
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        results = {}
        for name, spec in pages.items():
            # A short warm-up, then the measured run.
            run_wrk(base, spec, cookie, csrf, 2, args.connections, tick_skills, wrk_cpus)
            results[name] = run_wrk(
                base, spec, cookie, csrf, args.duration, args.connections, tick_skills, wrk_cpus
            )
            results[name].update(measured[name])
            if spec["method"] == "get":
                results[name]["page_weight"], results[name]["assets"] = page_weight(
                    Browserish() if spec.get("anonymous") else client,
                    base,
                    spec["url"],
                    spec.get("htmx"),
                )
            print(
                f"  {name:14} {results[name]['rps']:8.0f} req/s  "
                f"p95 {results[name]['p95_us'] / 1000:6.1f} ms"
            )
        floor = results["floor"]["rps"]
        for r in results.values():
            r["ratio"] = r["rps"] / floor
        peak = worker_peak_memory_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {
        "pages": results,
        "peak_worker_mb": peak,
        "path_queries_by_skills": measured["path_queries_by_skills"],
    }


def table(all_results):
    lines = [
        "| users | page | req/s | ratio to floor | p50 ms | p95 ms | p99 ms | errors | "
        "SQL queries warm (cold) | HTML raw KB | HTML gzip KB | page weight KB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for users, res in all_results.items():
        for name, r in res["pages"].items():
            weight = f"{r['page_weight'] / 1024:.1f}" if "page_weight" in r else "—"
            lines.append(
                f"| {users:,} | {name} | {r['rps']:.0f} | {r['ratio']:.2f} | "
                f"{r['p50_us'] / 1000:.1f} | {r['p95_us'] / 1000:.1f} | "
                f"{r['p99_us'] / 1000:.1f} | "
                f"{r['socket_errors'] + r['status_errors']} | "
                f"{r['queries']} ({r['queries_cold']}) | "
                f"{r['raw_bytes'] / 1024:.1f} | {r['gzip_bytes'] / 1024:.1f} | {weight} |"
            )
    return "\n".join(lines)


def verdicts(all_results):
    big = all_results[max(all_results)]
    small = all_results[min(all_results)]
    pages = [n for n in big["pages"] if not n.startswith("floor")]
    out = []
    for name, target in TARGETS.items():
        if name not in big["pages"]:  # left out with --pages
            continue
        ratio = big["pages"][name]["ratio"]
        out.append((f"{name} at ≥ {target:.0%} of the floor", f"{ratio:.0%}", ratio >= target))
    for users, res in all_results.items():
        worst_name = max(pages, key=lambda n: res["pages"][n]["p95_us"])
        worst = res["pages"][worst_name]["p95_us"]
        out.append(
            (
                f"p95 < 50 ms for every page at 10 connections ({users:,} users)",
                f"worst {worst / 1000:.1f} ms ({worst_name})",
                worst < 50_000,
            )
        )
    errors = sum(
        r["socket_errors"] + r["status_errors"]
        for res in all_results.values()
        for r in res["pages"].values()
    )
    out.append(("zero errors", str(errors), errors == 0))
    same = all(
        big["pages"][n]["queries"] == small["pages"][n]["queries"]
        and big["pages"][n]["queries_cold"] == small["pages"][n]["queries_cold"]
        for n in big["pages"]
        if n in small["pages"]
    )
    out.append(
        ("queries per page the same at 100 and 10,000 users", "same" if same else "differ", same)
    )
    q = big["path_queries_by_skills"]
    out.append(
        (
            f"My path queries (cold) the same at ~10 and {q['path_skills_large']} skills",
            f"{q['small_path']} vs {q['large_path']}",
            q["small_path"] == q["large_path"],
        )
    )
    real = q["real_catalogue_path"]
    out.append(
        (
            "My path HTML ≤ 40 KB: longest path of the real catalogue (53 skills)",
            f"{real['raw_bytes'] / 1024:.1f} KB raw, {real['gzip_bytes'] / 1024:.1f} KB gzip",
            real["raw_bytes"] <= 40 * 1024,
        )
    )
    path = big["pages"]["my path"]
    out.append(
        (
            "My path HTML ≤ 40 KB: the benchmark's 98-skill path",
            f"{path['raw_bytes'] / 1024:.1f} KB raw, {path['gzip_bytes'] / 1024:.1f} KB gzip",
            path["raw_bytes"] <= 40 * 1024,
        )
    )
    tick = big["pages"]["tick (htmx)"]
    out.append(
        (
            "htmx tick response ≤ 3 KB",
            f"{tick['raw_bytes'] / 1024:.1f} KB raw, {tick['gzip_bytes'] / 1024:.1f} KB gzip",
            tick["raw_bytes"] <= 3 * 1024,
        )
    )
    heaviest_name = max(pages, key=lambda n: big["pages"][n].get("page_weight", 0))
    heaviest = big["pages"][heaviest_name].get("page_weight", 0)
    out.append(
        (
            "whole page with CSS and JS ≤ 60 KB compressed",
            f"heaviest {heaviest / 1024:.1f} KB ({heaviest_name})",
            heaviest <= 60 * 1024,
        )
    )
    return out


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {int(mem) / 1024 / 1024:.0f} GiB, "
        f"{platform.platform()}, Python {platform.python_version()}, {pg}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's, 2 x cores + 1)"
    )
    parser.add_argument(
        "--threads", type=int, help="threads per worker (default: gunicorn.conf.py's, 4; 1: sync)"
    )
    parser.add_argument("--pages", default="", help="only these pages (and the floor), by name")
    parser.add_argument(
        "--no-pin", action="store_true", help="do not pin wrk and gunicorn to separate CPUs"
    )
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
        help="Redis for cache and sessions, as in production ('none' to run without)",
    )
    parser.add_argument("--populations", default="100,10000")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--notes", default=str(ROOT / "bench" / "NOTES.md"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    global REDIS_URL
    REDIS_URL = "" if args.redis == "none" else args.redis
    if REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.RedisError:
            print(f"Redis not reachable at {REDIS_URL}: running without it")
            REDIS_URL = ""
    args.server = server_config(args.workers, args.threads)
    global PIN
    PIN = not args.no_pin
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    all_results = {int(n): bench_population(int(n), args) for n in args.populations.split(",")}
    (ROOT / "bench" / "results" / "latest.json").write_text(json.dumps(all_results, indent=2))
    report = render(all_results, args)
    print()
    print(report)
    Path(args.output).write_text(report)


def command_extra(args):
    extra = ""
    if args.workers:
        extra += f" --workers {args.workers}"
    if args.threads:
        extra += f" --threads {args.threads}"
    if args.pages:
        extra += f" --pages {args.pages}"
    if args.no_pin:
        extra += " --no-pin"
    return extra


def pinning_text():
    wrk_cpus, server_cpus = cpu_split()
    if not wrk_cpus:
        return (
            "Nothing is pinned (`--no-pin`, one CPU, or no taskset): wrk and gunicorn share "
            "the cores."
        )
    return (
        f"wrk runs on CPU {','.join(map(str, wrk_cpus))} and gunicorn (its workers) on CPU "
        f"{','.join(map(str, server_cpus))} (`taskset`), so that the load generator and the "
        "workers do not take turns on one core; PostgreSQL and Redis are unpinned. The floor "
        'is measured first and again last ("floor (end)"): the two show how steady the '
        "machine was over the run."
    )


def render(all_results, args):
    server = args.server
    checks = [] if args.pages else verdicts(all_results)
    notes = Path(args.notes).read_text() if Path(args.notes).exists() else ""
    memory = ", ".join(
        f"{u:,} users: {r['peak_worker_mb']:.0f} MB" for u, r in all_results.items()
    )
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        f"Command: `make bench` (`python bench/run.py --duration {args.duration} "
        f"--connections {args.connections}{command_extra(args)}`). The app runs in "
        f"production mode (`DEBUG=false`, gunicorn with production's settings from "
        f"`gunicorn.conf.py`: {server['workers']} {server['worker_class']} workers of "
        f"{server['threads']} thread{'s' if server['threads'] != 1 else ''}, "
        "not recycled during the run, "
        f"PostgreSQL, WhiteNoise, {'Redis for cache and sessions' if REDIS_URL else 'no Redis'})"
        " and wrk loads it from a second process with 2 threads and "
        f"{args.connections} connections for {args.duration} s per page after a 2 s warm-up. "
        f"{pinning_text()} ",
        "Every page but the signed-out role page is signed in, with the session of "
        "`bench-user-0`, who is not in AI yet and aims for "
        "Head of AI: the longest path (100 skills, all with a progress row). The tick is an "
        "htmx POST that changes a row's status on every request. The floor is "
        "`/bench/floor/`, a constant response through the same middleware; ratios compare "
        "each page with it in the same run, since absolute figures drift on shared machines.",
        "",
        "SQL queries and sizes are measured in-process on the same database. HTML gzip is "
        "what a compressing proxy sends; page weight is what a browser transfers for the "
        "page: the HTML gzipped plus its CSS and JavaScript as WhiteNoise serves them "
        "(brotli).",
        "",
        table(all_results),
        "",
        f"Peak memory of a gunicorn worker (VmHWM): {memory}.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        *[f"| {name} | {value} | {'yes' if ok else '**no**'} |" for name, value, ok in checks],
        "",
    ]
    if notes:
        lines += [notes]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
