def axes_username(request, credentials=None):
    """The username django-axes records for a sign-in attempt.

    Cut to the longest username Django allows and without NUL characters, so that a huge
    or binary username is recorded as a failed attempt instead of breaking the database
    write (found by the property-based tests).
    """
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username", "")
    return str(raw).replace("\x00", "")[:150]
