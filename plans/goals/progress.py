"""
How far a plan has come towards the municipality's goals: for the follow-up and the board brief.

goal_progress() gives, per goal of the plan's municipality, the goal (its target and what was reached)
and the plan's procurements that serve it, each with its follow-up status (not started, advertised,
awarded …) and its awarded value as the reader may see it: the Disclosure decides, so a confidential
procurement's value is "Confidential" to those who may not see it. Two queries, however many goals and
procurements.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from plans.formatting import format_sek
from plans.goals.display import figure_text
from plans.models import Goal, Outcome, Plan, Procurement
from plans.register.disclosure import Disclosure

# The statuses in the order a procurement goes through them, for the counts beside each goal.
STATUS_ORDER = [status.value for status in Outcome.Status]


@dataclass(frozen=True)
class GoalProcurement:
    ref: str
    title: str
    department: str
    status: str
    status_label: str
    # "12 400 000 kr", "–" before the award, or "Confidential".
    awarded: str
    awarded_hidden: bool


@dataclass
class GoalProgress:
    pk: int
    title: str
    target: str
    target_year: int | None
    reached: str
    reached_year: int | None
    measured_by: str
    procurements: list[GoalProcurement] = field(default_factory=list)

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        """(status label, how many of the procurements have it), in the order procurements go."""
        counts = {}
        for procurement in self.procurements:
            counts[procurement.status] = counts.get(procurement.status, 0) + 1
        labels = {p.status: p.status_label for p in self.procurements}
        return [(labels[status], counts[status]) for status in STATUS_ORDER if status in counts]


def _shown(procurement, disclosure: Disclosure) -> GoalProcurement:
    try:
        outcome = procurement.outcome
    except ObjectDoesNotExist:
        outcome = None
    status = outcome.status if outcome else Outcome.Status.NOT_STARTED.value
    try:
        label = str(Outcome.Status(status).label)
    except ValueError:
        label = status
    hidden = disclosure.hides(procurement)
    if hidden:
        awarded = _("Confidential")
    elif outcome is not None and outcome.awarded_value_sek is not None:
        awarded = format_sek(outcome.awarded_value_sek)
    else:
        awarded = "–"
    return GoalProcurement(
        ref=procurement.ref,
        title=procurement.title,
        department=procurement.department.name,
        status=status,
        status_label=label,
        awarded=awarded,
        awarded_hidden=hidden,
    )


def goal_progress(plan: Plan, disclosure: Disclosure) -> list[GoalProgress]:
    """Per goal of the plan's municipality, the goal and the plan's procurements serving it (two queries)."""
    serving = Procurement.objects.filter(plan=plan).select_related("outcome", "department").order_by("ref")
    goals = Goal.objects.filter(municipality_id=plan.municipality_id).prefetch_related(
        Prefetch("procurements", queryset=serving, to_attr="in_plan")
    )
    return [
        GoalProgress(
            pk=goal.pk,
            title=goal.title,
            target=figure_text(goal.target_value, goal.unit),
            target_year=goal.target_year,
            reached=figure_text(goal.reached, goal.unit),
            reached_year=goal.reached_year,
            measured_by=goal.measured_by,
            procurements=[_shown(procurement, disclosure) for procurement in goal.in_plan],
        )
        for goal in goals
    ]
