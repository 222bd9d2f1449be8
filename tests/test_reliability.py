"""Reliability on PostgreSQL: restarts, concurrent ticks, two app instances, backups."""

import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from accounts.models import User
from roadmap.models import Role, Skill, SkillProgress

from .helpers import PASSWORD
from .servers import ROOT, Browserish, database_url

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("catalogue")]


def make_user(username="alice"):
    return User.objects.create_user(
        username,
        f"{username}@example.com",
        PASSWORD,
        current_role=Role.objects.get(slug="junior-ai-engineer"),
        target_role=Role.objects.get(slug="head-of-ai"),
    )


def tick(client, base, token, slug, status="done"):
    return client.request(
        f"{base}/path/skills/{slug}/status/",
        {"status": status},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )


def test_two_instances_share_the_session_and_the_data(gunicorn_servers):
    make_user()
    one = gunicorn_servers(8601, workers=1)
    two = gunicorn_servers(8602, workers=1)
    client = Browserish()
    token = client.sign_in(one.url, "alice", PASSWORD)
    status, _, html = tick(client, one.url, token, "docker")
    assert status == 200
    # Same cookies, other instance: still signed in, and the tick is there.
    status, _, html = client.request(two.url + "/path/")
    assert status == 200
    assert '<li id="skill-docker" class="path-skill status-done">' in html
    status, _, _ = tick(client, two.url, token, "kubernetes", "learning")
    assert status == 200
    _, _, html = client.request(one.url + "/path/")
    assert '<li id="skill-kubernetes" class="path-skill status-learning">' in html


def restart_postgres():
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        timeout=120,
    )


def test_a_postgres_restart_loses_no_acknowledged_tick_and_leaves_no_5xx(gunicorn_servers):
    make_user()
    server = gunicorn_servers(8603, workers=2)
    client = Browserish()
    token = client.sign_in(server.url, "alice", PASSWORD)
    slugs = list(Skill.objects.order_by("slug").values_list("slug", flat=True))
    acknowledged, after_restart = [], []
    restarted = threading.Event()

    def restart():
        time.sleep(0.5)
        restart_postgres()
        restarted.set()

    thread = threading.Thread(target=restart)
    thread.start()
    deadline = time.monotonic() + 120
    i = 0
    while time.monotonic() < deadline and (not restarted.is_set() or len(after_restart) < 40):
        slug = slugs[i % len(slugs)]
        status = "done" if (i // len(slugs)) % 2 == 0 else "learning"
        was_restarted = restarted.is_set()
        try:
            code, _, _ = tick(client, server.url, token, slug, status)
        except OSError:
            code = None  # connection refused or reset while the database was away
        if code == 200:
            acknowledged.append((slug, status))
        if was_restarted:
            after_restart.append(code)
        i += 1
        time.sleep(0.02)
    thread.join()
    assert restarted.is_set()
    assert after_restart and all(code == 200 for code in after_restart), after_restart

    connection.close()  # the test's own connection died with the restart
    final = dict(
        SkillProgress.objects.filter(user__username="alice").values_list("skill__slug", "status")
    )
    last = {}
    for slug, status in acknowledged:
        last[slug] = status
    assert last == {slug: final[slug] for slug in last}


def test_concurrent_identical_ticks_leave_exactly_one_row():
    user = make_user()
    docker = Skill.objects.get(slug="docker")
    threads, results = 8, []
    barrier = threading.Barrier(threads)

    def worker():
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            results.append(
                client.post("/path/skills/docker/status/", {"status": "done"}).status_code
            )
        finally:
            close_old_connections()
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert results == [302] * threads
    rows = SkillProgress.objects.filter(user=user, skill=docker)
    assert rows.count() == 1
    assert rows.get().status == "done"


def test_concurrent_starts_of_a_self_check_make_one_attempt():
    from roadmap.models import CheckAttempt

    user = make_user()
    threads, results = 6, []
    barrier = threading.Barrier(threads)

    def worker():
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            results.append(client.post("/skills/python/check/").status_code)
        finally:
            close_old_connections()
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    # Every click lands on the same open attempt: one attempt, never a 500.
    assert results == [302] * threads
    assert CheckAttempt.objects.filter(user=user).count() == 1


def test_a_backup_restores_into_a_fresh_database_with_every_users_progress(tmp_path):
    users = [make_user(name) for name in ("alice", "bob", "carol")]
    skills = list(Skill.objects.order_by("slug")[:10])
    for n, user in enumerate(users):
        for skill in skills[: 3 + n * 3]:
            SkillProgress.objects.create(user=user, skill=skill, status="done", note=f"{user} ✓")
    expected = {u.username: SkillProgress.objects.filter(user=u).count() for u in users}
    dump = tmp_path / "roadmap.dump"
    source = database_url()
    target = source.rsplit("/", 1)[0] + "/roadmap_restore_check"

    def drop_target():
        subprocess.run(
            ["dropdb", "--if-exists", "--maintenance-db", source, "roadmap_restore_check"],
            timeout=60,
            env={"PATH": "/usr/bin:/bin"},
            check=False,
        )

    drop_target()  # a run killed half-way may have left it
    subprocess.run(
        ["deploy/backup.sh", str(dump)],
        cwd=ROOT,
        check=True,
        timeout=300,
        env={"DATABASE_URL": source, "PATH": "/usr/bin:/bin"},
    )
    try:
        subprocess.run(
            ["deploy/restore.sh", str(dump), target],
            cwd=ROOT,
            check=True,
            timeout=300,
            env={"PATH": "/usr/bin:/bin"},
        )
        out = subprocess.run(
            [
                "psql",
                target,
                "-tA",
                "-c",
                "SELECT u.username, count(p.id), min(p.note) FROM accounts_user u "
                "JOIN roadmap_skillprogress p ON p.user_id = u.id GROUP BY u.username "
                "ORDER BY u.username",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.splitlines()
        assert out == [f"{name}|{count}|{name} ✓" for name, count in sorted(expected.items())]
    finally:
        drop_target()
