"""The search's own benchmark, in-process: median and p95 milliseconds of the search over
the real catalogue, as the function (`roadmap.searching.search`) and as the whole request
(`/search/?q=`, middleware and template included, and its htmx fragment).

Run it against a PostgreSQL database that holds the catalogue (``manage.py migrate`` and
``manage.py load_catalogue``), with production settings:

    DATABASE_URL=postgres://roadmap:roadmap@127.0.0.1:5432/roadmap_search \\
        DEBUG=false .venv/bin/python bench/search.py [--rounds 50]

The vectors are computed on the fly (no stored column, no index): this tells whether that
still holds at the catalogue's size. The target is under 50 ms a request.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production-0123456789abcdefghij")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("LOCAL_HTTP", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Hashed static names need collectstatic; the plain names cost the same to render.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from roadmap import searching  # noqa: E402
from roadmap.models import Certification, Role, Skill, Source  # noqa: E402

# A spread of what people type: one short prefix that matches much, whole words, an exam
# code in its three spellings, two words, punctuation, and nothing found.
QUERIES = [
    "a",
    "engineer",
    "rag",
    "kubern",
    "AI-102",
    "ai102",
    "MLA-C01",
    "aws certified",
    "machine learning engineer",
    "python (data)",
    "zzzqqq",
]


def timed(call, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times):
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    median = statistics.median(times)
    return f"median {median:6.2f} ms   p95 {p95:6.2f} ms   max {times[-1]:6.2f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50, help="runs of each query (50)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database that holds the catalogue.")
    counts = {m.__name__: m.objects.count() for m in (Skill, Role, Certification, Source)}
    if not counts["Skill"]:
        sys.exit("The database holds no catalogue: run manage.py load_catalogue first.")
    print(f"PostgreSQL {connection.cursor().connection.info.server_version}; catalogue: {counts}")
    client = Client(HTTP_HOST="127.0.0.1")
    for query in QUERIES:  # warm: connection, templates, plans
        searching.search(query)
        client.get("/search/", {"q": query})
    function, page, fragment = [], [], []
    for query in QUERIES:
        function += timed(lambda q=query: searching.search(q), args.rounds)
        page += timed(lambda q=query: client.get("/search/", {"q": q}), args.rounds)
        fragment += timed(
            lambda q=query: client.get("/search/", {"q": q}, headers={"HX-Request": "true"}),
            args.rounds,
        )
    print(f"{len(QUERIES)} queries x {args.rounds} rounds each")
    print(f"search()            {summary(function)}")
    print(f"GET /search/?q=     {summary(page)}")
    print(f"GET, htmx #results  {summary(fragment)}")
    print("per query (the whole page):")
    for query in QUERIES:
        times = timed(lambda q=query: client.get("/search/", {"q": q}), args.rounds)
        print(f"  {query!r:28} {summary(times)}")


if __name__ == "__main__":
    main()
