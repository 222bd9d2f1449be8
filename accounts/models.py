from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The project's own user model, in place from the first migration.

    Profile fields (current and target role) arrive with the personal path.
    """
