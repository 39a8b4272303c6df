"""Reads of the municipality's goals, for one reader: the one place goals are scoped to a municipality."""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Municipality
from accounts.permissions import Access, access_of, can_manage_goals, can_read_goals
from plans.models import Goal, Order, Plan, Procurement
from plans.register.access import LoginNeeded


@dataclass
class GoalsAccess:
    municipality: Municipality
    access: Access

    @cached_property
    def can_manage(self) -> bool:
        return can_manage_goals(self.access, municipality_id=self.municipality.pk)

    def require_manage(self):
        if not self.can_manage:
            raise PermissionDenied

    def goals(self):
        """The municipality's goals, each with how many procurements and orders name it."""
        # Two subqueries, not two joins: joined, the links would multiply (procurements × orders).
        return Goal.objects.filter(municipality=self.municipality).annotate(
            procurement_count=_links(Procurement.goals.through),
            order_count=_links(Order.goals.through),
        )

    def goal(self, pk: int) -> Goal:
        return get_object_or_404(Goal.objects.filter(municipality=self.municipality), pk=pk)


def _links(through):
    """How many rows of a goal link table name the goal, as a subquery."""
    links = through.objects.filter(goal=OuterRef("pk")).order_by().values("goal").annotate(n=Count("pk"))
    return Coalesce(Subquery(links.values("n")[:1]), 0)


def goals_access(request, municipality: str) -> GoalsAccess:
    """The goals of the municipality at /plans/<municipality>/goals/ if the user may read them.

    Anyone else gets the same answer whether the municipality exists or not: a 404 for a logged-in user,
    the login page for an anonymous visitor."""
    access = access_of(request.user)
    place = Municipality.objects.filter(slug=municipality).first()
    if place is None or not can_read_goals(access, municipality_id=place.pk):
        if not request.user.is_authenticated:
            raise LoginNeeded
        raise Http404
    return GoalsAccess(municipality=place, access=access)


def newest_plan(user, municipality: Municipality) -> Plan | None:
    """The municipality's newest plan the user may see: the goals page links its filter there."""
    return Plan.objects.visible_to(user).filter(municipality=municipality).order_by("-year").first()


def municipality_goals(municipality_id: int):
    """The municipality's goals, in their order (target year, title)."""
    return Goal.objects.filter(municipality_id=municipality_id)
