"""Production mode on one machine: nginx in front, gunicorn behind it (`make serve`).

nginx reads each request whole (headers and body) before gunicorn sees it, so clients that
trickle bytes cost nginx a connection slot, not a gunicorn thread: /healthz/ keeps answering
while dozens of slow clients are connected (tests/test_serve.py). It is the buffering proxy
docs/deploying.md asks for in production, started here the same way the tests start it.

    python deploy/serve.py            # listens on 127.0.0.1:$PORT (8000)

gunicorn listens on a free port of 127.0.0.1 that only nginx is told about; its settings come
from gunicorn.conf.py and the environment as usual. Either process stopping stops both.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NGINX_CONF = """\
worker_processes 1;
pid {run}/nginx.pid;
error_log stderr warn;
{user}

events {{
    worker_connections 4096;
}}

http {{
    access_log off;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;

    # Bounds on what one client may hold: slow senders are cut off, large bodies refused
    # (the app's own limit is 1.1 MB; this one answers first, before any byte is buffered).
    client_header_timeout 10s;
    client_body_timeout 10s;
    send_timeout 30s;
    keepalive_timeout 5s;
    client_max_body_size 2m;
    large_client_header_buffers 4 8k;

    # Pages and API answers compressed on the wire (static files come precompressed).
    gzip on;
    gzip_proxied any;
    gzip_vary on;
    gzip_types application/json application/atom+xml application/xml text/css;

    upstream app {{
        server {upstream};
    }}

    server {{
        listen {listen};

        location / {{
            proxy_pass http://app;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # The defaults, stated: nothing reaches gunicorn half-sent, and slow readers
            # do not hold a gunicorn thread either.
            proxy_request_buffering on;
            proxy_buffering on;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


def nginx_config(run, listen, upstream):
    # As root, nginx's workers would run as "nobody", which cannot open our private folder.
    user = "user root;" if os.geteuid() == 0 else ""
    return NGINX_CONF.format(run=run, listen=listen, upstream=upstream, user=user)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(address, process, timeout=60):
    host, port = address.rsplit(":", 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit(f"{process.args[0]} did not start on {address}")


def start(listen, env=None):
    """Start gunicorn and nginx; return (processes, run folder)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        sys.exit("nginx is not installed: apt-get install nginx (make serve does it for you)")
    run = Path(tempfile.mkdtemp(prefix="roadmap-serve-"))
    upstream = f"127.0.0.1:{free_port()}"
    (run / "nginx.conf").write_text(nginx_config(run, listen, upstream))
    env = dict(os.environ if env is None else env)
    # Behind nginx on this machine: believe its forwarded headers, and only its.
    env.update(BIND=upstream, BEHIND_PROXY="true", FORWARDED_ALLOW_IPS="127.0.0.1")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    app = subprocess.Popen([str(gunicorn), "--config", "gunicorn.conf.py"], cwd=ROOT, env=env)
    wait_for(upstream, app)
    proxy = subprocess.Popen(
        [nginx, "-p", str(run), "-c", str(run / "nginx.conf"), "-g", "daemon off;"], cwd=run
    )
    wait_for(listen, proxy)
    return [app, proxy], run


def stop(processes, run):
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    shutil.rmtree(run, ignore_errors=True)


def main():
    listen = os.environ.get("LISTEN", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
    processes, run = start(listen)
    stopping = []

    def on_signal(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"Serving on http://{listen} (nginx in front of gunicorn)", flush=True)
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
    finally:
        stop(processes, run)
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())
