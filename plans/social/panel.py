"""The matches panel on a procurement's and an order's page (issue 18): "N social enterprises offer this",
their names, the register's suggestion and, on a procurement, the decision recorded and its form.

Names of enterprises are public: the panel is shown to everyone who may see the page, and to nobody when
no enterprise matches. It costs the page two queries: the centre's register, and the decision."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from accounts.models import Municipality
from accounts.permissions import can_decide_match, can_read_social_register
from plans.models import SocialDecision
from plans.social.decision_forms import DecisionForm
from plans.social.matches import (
    CentreRegister,
    Enterprise,
    centre_register,
    decision_of,
    measure_label,
    suggestion_for,
)
from plans.social.suggestions import Suggestion


@dataclass
class MatchPanel:
    enterprises: list[Enterprise]
    suggestion: Suggestion | None
    register_url: str = ""
    # A procurement's: whether the decision is shown (as its history is), the decision, and its form.
    procurement: bool = False
    show_decision: bool = False
    decision: SocialDecision | None = None
    form: DecisionForm | None = None

    @property
    def count(self) -> int:
        return len(self.enterprises)

    @property
    def suggestion_label(self) -> str:
        return measure_label(self.suggestion.measure) if self.suggestion else ""


def register_url(access, register: CentreRegister, municipality_id: int) -> str:
    """The centre's register for a viewer who may read it, else "". A member of another municipality than
    the plan's costs a query: is theirs one the centre serves?"""
    if not access.authenticated or not register.centre_slug:
        return ""
    municipality_ids = frozenset({municipality_id})
    if not can_read_social_register(access, centre_id=register.centre_id, municipality_ids=municipality_ids):
        if not access.member_municipalities:
            return ""
        served = Municipality.objects.filter(centre_id=register.centre_id).values_list("pk", flat=True)
        if not can_read_social_register(
            access, centre_id=register.centre_id, municipality_ids=frozenset(served)
        ):
            return ""
    try:
        return reverse("social:enterprises", kwargs={"centre": register.centre_slug})
    except NoReverseMatch:  # the register's pages are another part of issue 18
        return ""


def decision_allowed(pa) -> bool:
    return can_decide_match(pa.access, municipality_id=pa.municipality_id, phase=pa.status.phase)


def procurement_panel(pa, procurement, *, consultation: bool, form: DecisionForm | None = None):
    """The panel of a procurement's page, or None when no enterprise offers what it buys.

    consultation: the page shows the procurement's history (a published draft's public does not see it),
    and so the decision recorded."""
    register = centre_register(pa.plan.municipality.centre_id)
    enterprises = register.matching(cpv=procurement.cpv, category=procurement.category)
    if not enterprises:
        return None
    decision = decision_of(procurement)
    suggestion = suggestion_for(
        enterprises,
        procurement,
        value=pa.disclosure.value(procurement),
        eu_threshold=pa.plan.rubric_values.eu_threshold,
    )
    may_decide = decision_allowed(pa)
    if may_decide and form is None:
        initial = {"version": decision.version if decision else 0}
        if decision is not None:
            initial.update(decision=decision.decision, reason=decision.reason)
        elif suggestion is not None:
            initial["decision"] = suggestion.measure
        form = DecisionForm(initial=initial)
    return MatchPanel(
        enterprises=enterprises,
        suggestion=suggestion,
        register_url=register_url(pa.access, register, pa.municipality_id),
        procurement=True,
        show_decision=consultation,
        decision=decision if consultation else None,
        form=form if may_decide else None,
    )


def order_panel(oa, order):
    """The panel of an order's page (no decision: that is recorded on the procurement), or None."""
    register = centre_register(oa.plan.municipality.centre_id)
    enterprises = register.matching(cpv=order.cpv, category=order.category)
    if not enterprises:
        return None
    suggestion = suggestion_for(
        enterprises,
        order,
        value=oa.disclosure.value(order),
        eu_threshold=oa.plan.rubric_values.eu_threshold,
    )
    return MatchPanel(
        enterprises=enterprises,
        suggestion=suggestion,
        register_url=register_url(oa.pa.access, register, oa.pa.municipality_id),
    )
