"""Settings for the gunicorn instances the tests start: production settings, and the same
fast password hash as the tests that create the users (conftest.fast_password_hasher)."""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
