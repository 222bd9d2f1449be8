"""Where a page's time goes: pyinstrument over repeated in-process requests.

    DATABASE_URL=postgres://roadmap:roadmap@127.0.0.1:5432/roadmap_bench_10000 \\
        .venv/bin/python bench/profile.py /path/ [--post status=done] [--htmx] [-n 50]

Runs as `bench-user-0` with production settings (DEBUG off) and prints the call tree.
"""

import argparse
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
from pyinstrument import Profiler  # noqa: E402

from accounts.models import User  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--post", help="form data as key=value&key=value")
    parser.add_argument("--htmx", action="store_true")
    parser.add_argument("-n", type=int, default=50)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="bench-user-0"))
    headers = {"HX-Request": "true"} if args.htmx else {}
    data = dict(pair.split("=", 1) for pair in args.post.split("&")) if args.post else None

    def hit():
        if data is not None:
            return client.post(args.url, data, headers=headers)
        return client.get(args.url, headers=headers)

    for _ in range(5):
        hit()
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(args.n):
            hit()
    elapsed = (time.perf_counter() - started) / args.n * 1000
    print(f"{args.url}: {elapsed:.2f} ms per request in-process (profiled)")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
