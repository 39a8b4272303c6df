"""Writes to the centre's register of social enterprises (issue 18): each a function with keyword-only
arguments, one transaction each.

An enterprise is known in the register by its organisation number, once per centre. Edits carry the
version the editor's form was built from; an edit or a removal based on an older version is refused with
nothing written. An import saves every row or none (plans.social.register_exchange checks them first)."""

from django.db import IntegrityError, transaction

from plans.models import SocialEnterprise
from plans.versioned import locked_at, save_unique

ENTERPRISE_FIELDS = (
    "name",
    "org_number",
    "municipality",
    "contact_name",
    "contact_email",
    "contact_phone",
    "cpv_codes",
    "categories",
    "services",
    "capacity",
    "reserved_qualified",
)


class StaleEnterprise(Exception):
    """Someone saved (or removed) the enterprise after the editor's form was built."""

    def __init__(self, current: SocialEnterprise | None):
        self.current = current
        super().__init__(f"enterprise at version {current.version if current else 'removed'}")


class DuplicateOrgNumber(Exception):
    """The register already has an enterprise with that organisation number (two saves at once: the
    database said so)."""


def centre_enterprises(centre):
    """The centre's register, by name, with what the list shows beside each."""
    return (
        SocialEnterprise.objects.filter(centre=centre).select_related("municipality").order_by("name", "pk")
    )


def _apply(enterprise: SocialEnterprise, data: dict) -> bool:
    """Set the fields data gives; True when one of them changed."""
    changed = False
    for name in ENTERPRISE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        # The municipality compared by its key: a new enterprise has none to read yet.
        current, wanted = (
            (enterprise.municipality_id, getattr(value, "pk", value))
            if name == "municipality"
            else (getattr(enterprise, name), value)
        )
        if current != wanted:
            setattr(enterprise, name, value)
            changed = True
    return changed


@transaction.atomic
def enterprise_create(*, centre, data: dict, user) -> SocialEnterprise:
    enterprise = SocialEnterprise(centre=centre, updated_by=user)
    _apply(enterprise, data)
    return save_unique(enterprise, DuplicateOrgNumber)


@transaction.atomic
def enterprise_update(
    *, enterprise: SocialEnterprise, data: dict, expected_version: int, user
) -> SocialEnterprise:
    """Save the edited fields, unless someone saved the enterprise after the editor's form was built."""
    current = locked_at(SocialEnterprise, enterprise.pk, expected_version, StaleEnterprise)
    if _apply(current, data):
        current.version += 1
        current.updated_by = user
        save_unique(current, DuplicateOrgNumber)
    return current


@transaction.atomic
def enterprise_delete(*, enterprise: SocialEnterprise, expected_version: int) -> None:
    """Remove the enterprise, unless it was edited after the remover was asked."""
    locked_at(SocialEnterprise, enterprise.pk, expected_version, StaleEnterprise).delete()


def enterprises_save(*, centre, rows: list[dict], user) -> tuple[int, int]:
    """Every row of a checked import, in one transaction (the caller's): a row whose organisation number
    is in the register updates that enterprise (its version moves only when something changed), any other
    row adds one. Returns (added, updated)."""
    existing = {
        enterprise.org_number: enterprise
        for enterprise in SocialEnterprise.objects.select_for_update().filter(
            centre=centre, org_number__in=[row["org_number"] for row in rows]
        )
    }
    added, updated, new = 0, 0, []
    for row in rows:
        enterprise = existing.get(row["org_number"])
        if enterprise is None:
            enterprise = SocialEnterprise(centre=centre, updated_by=user)
            _apply(enterprise, row)
            new.append(enterprise)
        elif _apply(enterprise, row):
            enterprise.version += 1
            enterprise.updated_by = user
            save_unique(enterprise, DuplicateOrgNumber)
            updated += 1
    if new:
        try:
            with transaction.atomic():
                SocialEnterprise.objects.bulk_create(new)
        except IntegrityError:
            raise DuplicateOrgNumber from None
        added = len(new)
    return added, updated
