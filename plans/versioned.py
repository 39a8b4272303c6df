"""Optimistic locking on the side of the writes (the forms' side is plans.register.fields.VersionedForm
and refuse_stale): the row locked as the editor's form knew it, the fields it changes, and a save whose
unique constraint the database may refuse when two people save at once."""

from django.db import IntegrityError, transaction


def locked_at(model, pk, expected_version: int, stale: type[Exception]):
    """The row, locked for the transaction, if it is still at the version the form was built from; else
    stale(the row as it is now, or None when it is gone) is raised."""
    current = model.objects.select_for_update().filter(pk=pk).first()
    if current is None or current.version != expected_version:
        raise stale(current)
    return current


def set_changed(instance, data: dict, fields) -> bool:
    """Set those of the fields that data gives and that differ; True when one of them changed."""
    changed = False
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed = True
    return changed


def save_unique(instance, duplicate: type[Exception]):
    """Save in a savepoint, so that the caller's transaction survives a unique constraint the database
    refuses: duplicate is raised instead."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise duplicate from None
    return instance
