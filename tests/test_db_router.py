"""The read-replica router: reads go to the replica unless they follow a write."""

from django.http import HttpResponse
from django.test import RequestFactory

from config import db_router
from config.db_router import PrimaryReplicaRouter
from config.middleware import ReadAfterWriteMiddleware
from roadmap.models import Skill, SkillProgress

router = PrimaryReplicaRouter()


def reads_and_writes(log):
    """A view that records where its reads go, writes once, then reads again."""

    def view(request):
        log.append(router.db_for_read(Skill))
        if request.method == "POST":
            log.append(router.db_for_write(SkillProgress))
            log.append(router.db_for_read(SkillProgress))
        return HttpResponse("ok")

    return view


def middleware(view):
    mw = ReadAfterWriteMiddleware(view)
    mw.active = True  # as when DATABASE_REPLICA_URL is set
    return mw


def test_a_plain_read_goes_to_the_replica():
    log = []
    response = middleware(reads_and_writes(log))(RequestFactory().get("/"))
    assert log == ["replica"]
    assert ReadAfterWriteMiddleware.COOKIE not in response.cookies


def test_a_write_pins_the_rest_of_the_request_and_the_next_requests_to_the_primary():
    log = []
    mw = middleware(reads_and_writes(log))
    response = mw(RequestFactory().post("/path/skills/docker/status/"))
    assert log == ["default", "default", "default"]
    cookie = response.cookies[ReadAfterWriteMiddleware.COOKIE]
    assert cookie["max-age"] == 10
    # The redirect that follows carries the cookie: it reads what was just written.
    log.clear()
    follow = RequestFactory().get("/path/")
    follow.COOKIES[ReadAfterWriteMiddleware.COOKIE] = "1"
    mw(follow)
    assert log == ["default"]


def test_the_pin_does_not_leak_into_the_next_request_without_the_cookie():
    log = []
    mw = middleware(reads_and_writes(log))
    mw(RequestFactory().post("/"))
    log.clear()
    mw(RequestFactory().get("/"))
    assert log == ["replica"]
    assert db_router.is_pinned() is False


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "roadmap") is True
    assert router.allow_migrate("replica", "roadmap") is False
