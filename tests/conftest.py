import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real catalogue once into the test database; each test rolls back its changes."""
    with django_db_blocker.unblock():
        call_command("load_catalogue", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Hashed static names need collectstatic; tests use the plain storage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


PASSWORD = "correct-horse-battery-9"


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
def junior_to_senior(alice):
    """Alice is a Junior AI Engineer aiming for Senior AI Engineer."""
    from roadmap.models import Role

    alice.current_role = Role.objects.get(slug="junior-ai-engineer")
    alice.target_role = Role.objects.get(slug="senior-ai-engineer")
    alice.save()
    return alice
