"""gunicorn settings for production (`make serve` uses them too). Override with env vars."""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# gthread: each worker serves GUNICORN_THREADS connections at once, so a few slow clients
# cannot stall an instance as they stall sync workers. Many can (a thread waits for each
# client's headers): a buffering proxy goes in front, nginx under `make serve`
# (deploy/serve.py), the balancer in production (docs/deploying.md).
# GUNICORN_THREADS=1: sync workers.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow without bound (0: never).
# `make bench` turns it off: at a benchmark's thousand requests a second every worker would
# restart every few seconds, and the restarts, not the pages, would make its slowest times.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# X-Forwarded-Proto/-Ssl/-Protocol are believed only behind a proxy (BEHIND_PROXY=true),
# and then only from its addresses; otherwise from no one, localhost included.
if os.environ.get("BEHIND_PROXY", "").strip().lower() in ("1", "true", "yes", "on"):
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
else:
    forwarded_allow_ips = ""
    secure_scheme_headers = {}
accesslog = os.environ.get("ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
wsgi_app = "config.wsgi:application"
