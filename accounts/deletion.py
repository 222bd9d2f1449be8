"""Deleting an account, the one way: from the account's own page and from admin (one user
or "delete selected") alike."""

from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from .models import Team
from .throttling import sign_in_records


@transaction.atomic
def forget_account(user):
    """Delete the account, its progress and plans, its sign-in records and every session it
    has on any device. Teams it leaves without an owner pass to someone else first; a team
    left with nobody goes, its invite links with it (Team.hand_over_from)."""
    pk = str(user.pk)
    Team.hand_over_from(user)
    # Before the account goes: its email address names it only while it exists.
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        sign_in_records(model, user).delete()
    user.delete()
    # Sessions store the user id inside their encoded data: look at each unexpired one.
    # Rare (account deletion only), and bounded by the number of live sessions.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == pk:
            store(session.session_key).delete()
