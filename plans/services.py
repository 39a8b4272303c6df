"""Writes: each a function with keyword-only arguments, one transaction each."""

from django.db import transaction

from .models import Plan, Procurement


class StaleEdit(Exception):
    """The procurement was saved by someone else after the editor loaded it."""

    def __init__(self, current: Procurement):
        super().__init__(f"{current.ref} is at version {current.version}")
        self.current = current


@transaction.atomic
def procurement_create(*, plan: Plan, data: dict, user) -> Procurement:
    procurement = Procurement(plan=plan, **data)
    procurement.save()
    return procurement


@transaction.atomic
def procurement_update(*, procurement: Procurement, data: dict, expected_version: int, user) -> Procurement:
    """Save the edited fields, unless someone saved the procurement after the editor loaded it.

    expected_version is the version the editor's form was built from; if the stored one has moved on,
    StaleEdit is raised and nothing is written.
    """
    current = Procurement.objects.select_for_update().get(pk=procurement.pk)
    if current.version != expected_version:
        raise StaleEdit(current)
    for name, value in data.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    return current


@transaction.atomic
def procurement_delete(*, procurement: Procurement, user) -> None:
    procurement.delete()
