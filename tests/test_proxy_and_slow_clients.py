"""gunicorn as deployed: forwarded headers and slow clients (issue 9, items 9 and 15).

PostgreSQL only: the servers share the test database through DATABASE_URL.
"""

import socket
import time
import urllib.request

import pytest

from .servers import Browserish

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("catalogue")]


def test_without_a_proxy_forwarded_proto_from_localhost_is_not_believed(gunicorn_servers):
    server = gunicorn_servers(8611, workers=1, LOCAL_HTTP="false", BEHIND_PROXY="false")
    status, headers, _ = Browserish().request(
        server.url + "/accounts/login/", headers={"X-Forwarded-Proto": "https"}
    )
    # Plain http stays plain http: redirected to https, and no HSTS over http.
    assert status == 301
    assert headers["Location"].startswith("https://")
    assert "Strict-Transport-Security" not in headers


def test_behind_a_proxy_its_forwarded_proto_is_believed(gunicorn_servers):
    server = gunicorn_servers(8612, workers=1, LOCAL_HTTP="false", BEHIND_PROXY="true")
    status, headers, _ = Browserish().request(
        server.url + "/accounts/login/", headers={"X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_two_slow_clients_do_not_stall_a_two_worker_instance(gunicorn_servers):
    server = gunicorn_servers(8613, workers=2)
    slow = []
    try:
        # Two clients that never finish their request: each holds one thread of 4 in a
        # worker (with sync workers, each held a whole worker, and the instance stalled).
        for _ in range(2):
            sock = socket.create_connection(("127.0.0.1", 8613), timeout=5)
            sock.sendall(b"GET /healthz/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            slow.append(sock)
        time.sleep(0.5)
        with urllib.request.urlopen(server.url + "/healthz/", timeout=5) as response:
            assert response.status == 200
    finally:
        for sock in slow:
            sock.close()
