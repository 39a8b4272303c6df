"""Writes to a municipality's labour reserve (issue 18): one transaction each. A year is recorded once per
municipality; an edit carries the version the editor's form was built from, and one based on an older
version is refused with nothing written."""

from django.db import transaction

from plans.models import LabourReserve
from plans.versioned import locked_at, save_unique, set_changed

RESERVE_FIELDS = ("year", "outside", "reached", "source")


class StaleReserve(Exception):
    """Someone saved the year after the editor's form was built (current is None: it is gone)."""

    def __init__(self, current: LabourReserve | None):
        self.current = current
        super().__init__(f"labour reserve at version {current.version if current else 'removed'}")


class DuplicateYear(Exception):
    """The municipality's labour reserve of that year is recorded already (two saves at once: the
    database said so)."""


@transaction.atomic
def reserve_create(*, municipality, data: dict) -> LabourReserve:
    reserve = LabourReserve(municipality=municipality, **{name: data[name] for name in RESERVE_FIELDS})
    return save_unique(reserve, DuplicateYear)


@transaction.atomic
def reserve_update(*, reserve: LabourReserve, data: dict, expected_version: int) -> LabourReserve:
    """Save the edited fields, unless someone saved the year after the editor's form was built."""
    current = locked_at(LabourReserve, reserve.pk, expected_version, StaleReserve)
    if set_changed(current, data, RESERVE_FIELDS):
        current.version += 1
        save_unique(current, DuplicateYear)
    return current
