"""The cache production runs on: Redis through config.cache.ReusingRedisCache. The rest of
the suite uses the in-memory cache; these tests talk to the Redis of the machine
(REDIS_TEST_URL, database 15 by default), which CI starts."""

import os
import threading

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from .helpers import PASSWORD

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
REDIS_CACHES = {
    "default": {
        "BACKEND": "config.cache.ReusingRedisCache",
        "LOCATION": REDIS_TEST_URL,
        "KEY_PREFIX": "roadmap-tests",
    }
}


@pytest.fixture
def redis_cache():
    with override_settings(
        CACHES=REDIS_CACHES, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        yield caches["default"]
        caches["default"].clear()


def test_what_is_stored_is_read_back(redis_cache):
    redis_cache.set("path", "<li>Python</li>" * 1000, 60)
    assert redis_cache.get("path") == "<li>Python</li>" * 1000
    redis_cache.set_many({"a": 1, "b": {"nested": [1, 2]}}, 60)
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": {"nested": [1, 2]}}
    assert redis_cache.add("count", 0, 60) is True
    assert redis_cache.add("count", 5, 60) is False
    assert redis_cache.incr("count") == 1
    assert redis_cache.get("missing", "default") == "default"


def test_a_thread_keeps_one_client_however_many_calls(redis_cache, monkeypatch):
    made = []
    real = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        made.append(threading.get_ident())
        real(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    for number in range(50):
        redis_cache.set(f"k{number}", number, 60)
        assert redis_cache.get(f"k{number}") == number
    assert len(made) <= 1  # Django's own client made a hundred

    def elsewhere():
        caches["default"].get("k1")

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert len(made) <= 2  # another thread, its own cache object and client


@pytest.mark.django_db
def test_a_session_in_redis_keeps_someone_signed_in(redis_cache, client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/path/").status_code == 200
    redis_cache.clear()  # cached_db: the database still holds the session
    assert client.get("/path/").status_code == 200
