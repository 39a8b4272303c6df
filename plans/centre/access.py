"""The one place a desk page finds its centre and year for a user: 404 for anyone but the centre's staff
(so that a guessed address confirms nothing), the login page for an anonymous visitor."""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import ProcurementCentre
from accounts.permissions import (
    Access,
    access_of,
    can_assign_officers,
    can_coordinate,
    can_set_capacity,
    can_view_centre,
)
from plans.models import CentreSettings
from plans.register.access import LoginNeeded
from plans.register.disclosure import Disclosure

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass
class CentreAccess:
    centre: ProcurementCentre
    year: int
    access: Access

    @cached_property
    def municipality_ids(self) -> frozenset[int]:
        return frozenset(self.centre.municipalities.values_list("pk", flat=True))

    @cached_property
    def disclosure(self) -> Disclosure:
        """What the viewer may see of the year's procurements: the centre's staff see every municipality's
        confidential values (accounts.permissions.can_view_confidential), asked of the rule all the same."""
        return Disclosure(confidential=self.municipality_ids <= self.access.staff_municipalities)

    @cached_property
    def settings(self) -> CentreSettings:
        return CentreSettings.of(self.centre)

    @cached_property
    def can_coordinate(self) -> bool:
        return can_coordinate(self.access, centre_id=self.centre.pk)

    @cached_property
    def can_assign(self) -> bool:
        return can_assign_officers(self.access, centre_id=self.centre.pk)

    @cached_property
    def can_set_capacity(self) -> bool:
        return can_set_capacity(self.access, centre_id=self.centre.pk)

    @staticmethod
    def require(allowed: bool):
        if not allowed:
            raise PermissionDenied


def centre_access(request, centre: str, year: int) -> CentreAccess:
    """The desk of /centre/<centre>/<year>/ if the user is the centre's staff."""
    access = access_of(request.user)
    found = ProcurementCentre.objects.filter(slug=centre).first()
    if found is None or not MIN_YEAR <= year <= MAX_YEAR or not can_view_centre(access, centre_id=found.pk):
        if not request.user.is_authenticated:
            raise LoginNeeded
        raise Http404
    return CentreAccess(centre=found, year=year, access=access)
