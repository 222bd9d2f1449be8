import io
import os
import shutil

import pytest
from django.core.management import call_command

from .helpers import PASSWORD, role

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse
# to run beside it without this (the live server itself runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


if os.environ.get("MUTATE_DATABASE"):
    # Mutation testing (tests/mutate.py) runs the tests once per mutant: each run starts
    # from a copy of one SQLite database already migrated and loaded, instead of spending
    # six seconds on migrations and the catalogue.
    @pytest.fixture(scope="session")
    def django_db_setup(django_db_blocker, tmp_path_factory):
        from django.conf import settings
        from django.db import connections

        copy = tmp_path_factory.mktemp("database") / "catalogue.sqlite3"
        shutil.copyfile(os.environ["MUTATE_DATABASE"], copy)
        settings.DATABASES["default"]["NAME"] = str(copy)
        connections["default"].settings_dict["NAME"] = str(copy)
        connections["default"].close()

else:

    @pytest.fixture(scope="session")
    def django_db_setup(django_db_setup, django_db_blocker):
        """Load the real catalogue once into the test database; each test rolls back its
        changes."""
        with django_db_blocker.unblock():
            call_command("load_catalogue", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts with empty caches: rolled-back tests reuse catalogue versions."""
    from django.core.cache import cache

    from roadmap.caching import forget_per_process

    cache.clear()
    forget_per_process()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """One fast hash per password in tests: PBKDF2 at production strength cost 0.24 s a hash
    and three quarters of the suite's time. What is tested is who may sign in, not the hash;
    users made at collection time are re-hashed on their first sign-in as usual."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Hashed static names need collectstatic; tests use the plain storage, served by
    WhiteNoise from the app folders as in development."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", "alice@example.com", PASSWORD)


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", "bob@example.com", PASSWORD)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def junior_role():
    return role("junior-ai-engineer")


@pytest.fixture
def senior_role():
    return role("senior-ai-engineer")


@pytest.fixture
def ai_engineer_role():
    return role("ai-engineer")


@pytest.fixture
def data_analyst_role():
    return role("data-analyst")


@pytest.fixture
def junior_to_senior(alice, junior_role, senior_role):
    """Alice is a Junior AI Engineer aiming for Senior AI Engineer."""
    alice.current_role = junior_role
    alice.target_role = senior_role
    alice.save()
    return alice


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing in CI is a failure, never a skip."""
    if not shutil.which(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def catalogue(transactional_db):
    """The catalogue, for transactional tests: their database starts empty."""
    call_command("load_catalogue", stdout=io.StringIO())


@pytest.fixture
def live_catalogue(catalogue, live_server):
    """A live server whose database holds the catalogue."""
    return live_server


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL (restart, pg_dump, row locks): on another
    database they are deselected, and the run says so. CI runs them on PostgreSQL."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    selected = [item for item in items if "postgres" not in item.keywords]
    deselected = [item for item in items if "postgres" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
        config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"{len(deselected)} PostgreSQL-only tests deselected: DATABASE_URL is not PostgreSQL"
        )


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    from .servers import collectstatic

    root = tmp_path_factory.mktemp("static")
    collectstatic(root)
    return root


@pytest.fixture
def gunicorn_servers(static_root, live_catalogue):
    """Start gunicorn instances on the test database; stop them before the database goes."""
    from .servers import Gunicorn

    started = []

    def start(port, **options):
        server = Gunicorn(port, static_root, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
