"""The one place a page of /social/<centre>/ finds its centre for a user: 404 for anyone the centre's
register is not for (so that a guessed address confirms nothing, and another centre's register is not
found), the login page for an anonymous visitor."""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import ProcurementCentre
from accounts.permissions import (
    Access,
    access_of,
    can_edit_social_register,
    can_keep_labour_reserve,
    can_read_social_register,
    can_view_matches,
)
from plans.register.access import LoginNeeded


@dataclass
class SocialAccess:
    centre: ProcurementCentre
    access: Access
    municipality_ids: frozenset[int]

    @cached_property
    def can_edit(self) -> bool:
        return can_edit_social_register(self.access, centre_id=self.centre.pk)

    @cached_property
    def can_view_matches(self) -> bool:
        return can_view_matches(self.access, centre_id=self.centre.pk)

    def can_keep_reserve(self, municipality_id: int) -> bool:
        return municipality_id in self.municipality_ids and can_keep_labour_reserve(
            self.access, municipality_id=municipality_id
        )

    @staticmethod
    def require(allowed: bool):
        if not allowed:
            raise PermissionDenied


def social_access(request, centre: str) -> SocialAccess:
    """The centre of /social/<centre>/ if the user may read its register."""
    access = access_of(request.user)
    found = ProcurementCentre.objects.filter(slug=centre).first()
    municipality_ids = frozenset(found.municipalities.values_list("pk", flat=True)) if found else frozenset()
    if found is None or not can_read_social_register(
        access, centre_id=found.pk, municipality_ids=municipality_ids
    ):
        if not request.user.is_authenticated:
            raise LoginNeeded
        raise Http404
    return SocialAccess(centre=found, access=access, municipality_ids=municipality_ids)
