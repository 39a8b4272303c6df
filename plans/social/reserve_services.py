"""Writes to a municipality's labour reserve (issue 18): one transaction each. A year is recorded once per
municipality; an edit carries the version the editor's form was built from, and one based on an older
version is refused with nothing written."""

from django.db import IntegrityError, transaction

from plans.models import LabourReserve

RESERVE_FIELDS = ("year", "outside", "reached", "source")


class StaleReserve(Exception):
    """Someone saved the year after the editor's form was built (current is None: it is gone)."""

    def __init__(self, current: LabourReserve | None):
        self.current = current
        super().__init__(f"labour reserve at version {current.version if current else 'removed'}")


class DuplicateYear(Exception):
    """The municipality's labour reserve of that year is recorded already (two saves at once: the
    database said so)."""


def _save(reserve: LabourReserve) -> LabourReserve:
    try:
        # A savepoint, so that the caller's transaction survives a refused year.
        with transaction.atomic():
            reserve.save()
    except IntegrityError:
        raise DuplicateYear from None
    return reserve


@transaction.atomic
def reserve_create(*, municipality, data: dict) -> LabourReserve:
    reserve = LabourReserve(municipality=municipality, **{name: data[name] for name in RESERVE_FIELDS})
    return _save(reserve)


@transaction.atomic
def reserve_update(*, reserve: LabourReserve, data: dict, expected_version: int) -> LabourReserve:
    """Save the edited fields, unless someone saved the year after the editor's form was built."""
    current = LabourReserve.objects.select_for_update().filter(pk=reserve.pk).first()
    if current is None or current.version != expected_version:
        raise StaleReserve(current)
    changed = False
    for name in RESERVE_FIELDS:
        if getattr(current, name) != data[name]:
            setattr(current, name, data[name])
            changed = True
    if changed:
        current.version += 1
        _save(current)
    return current
