from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def account_username(name):
    """The username of the account a sign-in name stands for, or None if none does.

    A name with an @ is first taken as an email address, matched without regard to case
    and only when exactly one account has it; otherwise it is a username, matched as typed
    (as Django's own backend does). The sign-in backend and the sign-in throttle both use
    this, so they always agree on whose account a name is.
    """
    name = str(name or "").replace("\x00", "").strip()[:254]
    if not name:
        return None
    users = get_user_model().objects
    if "@" in name:
        found = list(users.filter(email__iexact=name).values_list("username", flat=True)[:2])
        if len(found) == 1:
            return found[0]
    if len(name) <= 150 and users.filter(username=name).exists():
        return name
    return None


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with the username or with the account's email address.

    An email address is matched without regard to case, and only when exactly one account
    has it. Like ModelBackend, an unknown name costs one password hash, so that timing
    does not tell which accounts exist.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            username = account_username(username) or username
        return super().authenticate(request, username=username, password=password, **kwargs)
