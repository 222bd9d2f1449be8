"""Reads go to the replica and writes to the primary; reads that follow a write go to the
primary too, for the rest of the request and (through ReadAfterWriteMiddleware) a few
seconds after it."""

import contextvars

_pinned = contextvars.ContextVar("pinned_to_primary", default=False)


def pin_to_primary(value=True):
    return _pinned.set(value)


def unpin(token):
    _pinned.reset(token)


def is_pinned():
    return _pinned.get()


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return "default" if _pinned.get() else "replica"

    def db_for_write(self, model, **hints):
        _pinned.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
