"""CPU time per request, in-process: the figure that moves least on a shared machine.

    DATABASE_URL=postgres://roadmap:roadmap@127.0.0.1:5432/roadmap_bench_10000 \\
        .venv/bin/python bench/cputime.py '{"team": {"url": "/teams/1/"},
        "certs": {"url": "/certifications/?provider=AWS", "htmx": true}}' [-n 10]

As `bench-user-0` (or signed out: "anonymous": true) with production settings (DEBUG
off), each page warmed three times, then the best of 5 runs of n requests: CPU ms
(`time.process_time`) and wall ms per request, HTML raw and gzipped bytes, as JSON. Run it
from two checkouts in turn (a database copy made with `createdb -T`) to compare a change
with what it replaces on the same machine state (bench/NOTES.md, issue 24).
"""

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LOCAL_HTTP", "true")
os.environ.setdefault("SECRET_KEY", "profile-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", help='{"name": {"url": ..., "htmx": bool, "anonymous": bool}}')
    parser.add_argument("-n", type=int, default=20)
    args = parser.parse_args()
    signed_in = Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(User.objects.get(username="bench-user-0"))
    anonymous = Client(HTTP_HOST="127.0.0.1")
    out = {}
    for name, spec in json.loads(args.pages).items():
        client = anonymous if spec.get("anonymous") else signed_in
        headers = {"HX-Request": "true"} if spec.get("htmx") else {}
        for _ in range(3):
            response = client.get(spec["url"], headers=headers)
        cpu = wall = float("inf")
        for _ in range(5):
            cpu0, wall0 = time.process_time(), time.perf_counter()
            for _ in range(args.n):
                client.get(spec["url"], headers=headers)
            cpu = min(cpu, (time.process_time() - cpu0) / args.n * 1000)
            wall = min(wall, (time.perf_counter() - wall0) / args.n * 1000)
        out[name] = {
            "status": response.status_code,
            "cpu_ms": round(cpu, 2),
            "wall_ms": round(wall, 2),
            "raw_bytes": len(response.content),
            "gzip_bytes": len(gzip.compress(response.content, 6)),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
