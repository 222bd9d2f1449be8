from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with the username or with the account's email address.

    An email address is matched without regard to case, and only when exactly one account
    has it. Like ModelBackend, an unknown name costs one password hash, so that timing
    does not tell which accounts exist.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            users = list(get_user_model().objects.filter(email__iexact=username.strip())[:2])
            if len(users) == 1:
                username = users[0].get_username()
        return super().authenticate(request, username=username, password=password, **kwargs)
