"""
The one place a view finds a plan or a procurement for a user: 404 when the user may not see it (so a
guessed address confirms nothing), and the answers to "may this user edit it?" for the templates.
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.permissions import (
    Access,
    access_of,
    can_answer_comments,
    can_comment,
    can_confirm_needs,
    can_edit_procurements,
    can_edit_rubric,
    can_flag_strategic,
    can_give_guidance,
    can_manage_plans,
    can_record_adoption,
    can_record_outcomes,
    can_set_targets,
    can_set_window,
    can_view_confidential,
    can_view_plan,
    can_view_review,
)
from plans.models import Plan, Procurement
from plans.register.disclosure import Disclosure
from plans.remiss.phases import PhaseStatus


@dataclass
class PlanAccess:
    plan: Plan
    access: Access
    status: PhaseStatus

    @property
    def municipality_id(self):
        return self.plan.municipality_id

    @cached_property
    def can_edit(self) -> bool:
        return can_edit_procurements(
            self.access, municipality_id=self.municipality_id, phase=self.status.phase
        )

    @cached_property
    def can_view_confidential(self) -> bool:
        return can_view_confidential(self.access, municipality_id=self.municipality_id)

    @cached_property
    def disclosure(self) -> Disclosure:
        """What this user may see of the plan's procurements: every way out asks it (register.disclosure)."""
        return Disclosure(confidential=self.can_view_confidential)

    @cached_property
    def can_manage(self) -> bool:
        return can_manage_plans(self.access, municipality_id=self.municipality_id)

    @cached_property
    def can_flag(self) -> bool:
        return can_flag_strategic(self.access, municipality_id=self.municipality_id, phase=self.status.phase)

    @cached_property
    def can_edit_rubric(self) -> bool:
        return can_edit_rubric(self.access, municipality_id=self.municipality_id, phase=self.status.phase)

    @cached_property
    def can_view_review(self) -> bool:
        return can_view_review(self.access, municipality_id=self.municipality_id)

    @cached_property
    def can_give_guidance(self) -> bool:
        return can_give_guidance(self.access, municipality_id=self.municipality_id, phase=self.status.phase)

    @cached_property
    def can_comment(self) -> bool:
        return can_comment(self.access, municipality_id=self.municipality_id, phase=self.status.phase)

    @cached_property
    def can_answer(self) -> bool:
        return can_answer_comments(self.access, municipality_id=self.municipality_id, phase=self.status.phase)

    @cached_property
    def can_set_window(self) -> bool:
        return can_set_window(self.access, municipality_id=self.municipality_id, phase=self.status.phase)

    @cached_property
    def can_record_adoption(self) -> bool:
        return can_record_adoption(self.access, municipality_id=self.municipality_id, phase=self.status.phase)

    @cached_property
    def can_record_outcomes(self) -> bool:
        return can_record_outcomes(self.access, municipality_id=self.municipality_id)

    @cached_property
    def can_set_targets(self) -> bool:
        return can_set_targets(self.access, municipality_id=self.municipality_id)

    def can_confirm(self, department_id: int) -> bool:
        return can_confirm_needs(self.access, department_id=department_id, phase=self.status.phase)

    @cached_property
    def order_window(self):
        """The departments' order window today (issue 14)."""
        return self.plan.order_window()

    @property
    def in_remiss(self) -> bool:
        return self.status.phase == "remiss"

    @staticmethod
    def require(allowed: bool):
        if not allowed:
            raise PermissionDenied

    def require_edit(self):
        if not self.can_edit:
            raise PermissionDenied


class LoginNeeded(Exception):
    """Raised for an anonymous visitor where a logged-in user might see more; see LoginNeededMiddleware."""


def plan_access(request, municipality: str, year: int) -> PlanAccess:
    """The plan at /plans/<municipality>/<year>/ if the user may see it.

    Anyone else gets the same answer whether the plan exists or not: a 404 for a logged-in user, the
    login page for an anonymous visitor (who may have followed a link from a mail).
    """
    access = access_of(request.user)
    plan = (
        Plan.objects.visible_to(request.user)
        .select_related("municipality")
        .filter(municipality__slug=municipality, year=year)
        .first()
    )
    # visible_to already scopes; the rule is asked too so that the two can never drift apart silently.
    status = plan.phase_status() if plan else None
    if plan is None or not can_view_plan(
        access, municipality_id=plan.municipality_id, phase=status.phase, publish_draft=plan.publish_draft
    ):
        if not request.user.is_authenticated:
            raise LoginNeeded
        raise Http404
    return PlanAccess(plan=plan, access=access, status=status)


def procurement_for(plan_access_: PlanAccess, ref: str) -> Procurement:
    procurement = get_object_or_404(
        # The decision on its match with the social enterprises (issue 18) comes along: the page shows it.
        Procurement.objects.select_related("department", "officer", "social_decision__decided_by").filter(
            plan=plan_access_.plan
        ),
        ref=ref,
    )
    # The plan the access was decided on, so that its rubric (and municipality) are read once a request.
    procurement.plan = plan_access_.plan
    return procurement
