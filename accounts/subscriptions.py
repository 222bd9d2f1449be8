"""The signed link that turns off email about catalogue changes: it names the user and their
current subscription, so it stops working once they subscribe again. Digest mail builds it
(roadmap/digests.py); the unsubscribe page reads it (accounts/views/notifications.py)."""

from django.core import signing
from django.urls import reverse

from .models import User

SALT = "accounts.unsubscribe"


def unsubscribe_url(user):
    """The link for the user's current subscription: it names the user and the subscription,
    signed, so it stops working once they subscribe again."""
    token = signing.Signer(salt=SALT).sign(f"{user.pk}:{user.subscription}")
    return reverse("accounts:unsubscribe", args=[token])


def user_for_token(token):
    """(user, current): whom a signed token names, and whether it is for their current
    subscription; (None, False) for a token we did not sign. A token from before the
    subscription count (the user's id alone) is for subscription 0."""
    try:
        value = signing.Signer(salt=SALT).unsign(token[:200])
    except signing.BadSignature:
        return None, False
    pk, _, subscription = value.partition(":")
    user = User.objects.filter(pk=pk).first() if pk.isdigit() else None
    if user is None:
        return None, False
    return user, (subscription or "0") == str(user.subscription)
