"""What `make serve` runs (deploy/serve.py: nginx in front of gunicorn) survives slow clients.

PostgreSQL only: the server shares the test database through DATABASE_URL.
"""

import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from .servers import ROOT, production_env

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("catalogue")]

PORT = 8621


@pytest.fixture
def served(static_root, live_catalogue):
    process = subprocess.Popen(
        [sys.executable, "deploy/serve.py"],
        cwd=ROOT,
        env=production_env(static_root, LISTEN=f"127.0.0.1:{PORT}", WEB_CONCURRENCY="2"),
    )
    url = f"http://127.0.0.1:{PORT}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz/", timeout=2):
                break
        except OSError:
            assert process.poll() is None, "deploy/serve.py exited"
            assert time.monotonic() < deadline, "deploy/serve.py did not come up"
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=60)


def trickle(stop):
    """A client that sends its request headers a byte a second, reconnecting when cut off."""
    request = b"GET /healthz/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", PORT), timeout=5) as sock:
                for byte in request:
                    if stop.is_set():
                        return
                    sock.sendall(bytes([byte]))
                    stop.wait(1)
        except OSError:
            stop.wait(0.2)


def test_sixty_slow_clients_for_thirty_seconds_do_not_stall_healthz(served):
    stop = threading.Event()
    clients = [threading.Thread(target=trickle, args=(stop,)) for _ in range(60)]
    for client in clients:
        client.start()
    timings = []
    try:
        time.sleep(2)  # every slow client is connected and sending
        end = time.monotonic() + 30
        while time.monotonic() < end:
            started = time.monotonic()
            with urllib.request.urlopen(served + "/healthz/", timeout=5) as response:
                assert response.status == 200
            timings.append(time.monotonic() - started)
            time.sleep(0.5)
    finally:
        stop.set()
        for client in clients:
            client.join()
    assert len(timings) >= 40
    assert max(timings) < 1.0, max(timings)


def test_through_nginx_the_client_address_is_the_client_not_the_proxy(served):
    # nginx appends the peer it saw; the app believes it because nginx is the trusted proxy,
    # and believes nothing the client put before it.
    from axes.models import AccessAttempt

    from .servers import Browserish

    client = Browserish()
    token = client.csrf_token(served + "/accounts/login/")
    status, _, _ = client.request(
        served + "/accounts/login/",
        {"username": "nobody-here", "password": "wrong", "csrfmiddlewaretoken": token},
        headers={"X-Forwarded-For": "203.0.113.50"},
    )
    assert status == 200
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
