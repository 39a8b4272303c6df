"""
The board brief (styrelsebrief) for the executive committee's steering subcommittee (KSL, DESIGN §1
problem 4): the strategic procurements of a plan, or of one quarter of it, one block each. The page and
the PDF are drawn from the same plain data, so they always agree.

1. parse_quarter() reads the quarter a reader asked for: 1–4, or the whole plan.
2. plan_brief() loads the plan's strategic-for-review procurements (of the quarter, when one is chosen:
   those whose planned advertisement falls in it), the most urgent requirements freeze first, in a fixed
   number of queries however many there are, and per goal of the municipality the plan's procurements
   that serve it with how far they have come (plans.goals.progress: two more queries), and on its first
   page the short "social considerations" (brief_social(): three more queries).
3. brief_item() turns one procurement into plain values in the reader's language: what, department,
   value (or "Confidential" to a reader who may not see it), Kraljic quadrant, the four scores and why,
   the social and environmental requirements planned, the climate impact (apart: it is no requirement),
   the politicians' guidance, status, freeze date, the responsible officer and the department's expert.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from plans.goals.progress import GoalProgress, goal_progress
from plans.models import ClimateImpact, EnvironmentalLevel, Guidance, Outcome, Plan
from plans.register.disclosure import Disclosure
from plans.scoring.rules import Quadrant
from plans.social.figure_queries import PlanFigures, plan_figures

QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class BriefScore:
    # E, S, M or R.
    letter: str
    label: str
    value: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class BriefGuidance:
    kind: str
    text: str
    who: str
    when: datetime


@dataclass(frozen=True)
class BriefItem:
    ref: str
    title: str
    # Empty when there is none, or the reader may not see it.
    description: str
    department: str
    # Formatted in the reader's language, or "Confidential".
    value: str
    value_hidden: bool
    quadrant: str
    quadrant_label: str
    priority: str
    scores: tuple[BriefScore, ...]
    strategic_reasons: tuple[str, ...]
    social: tuple[str, ...]
    environmental: tuple[str, ...]
    guidance: tuple[BriefGuidance, ...]
    status: str
    status_label: str
    planned_advertisement: date
    freeze_date: date | None
    freeze_passed: bool
    # The procurement's people (issue 14): the responsible officer and the department's expert; "" if none.
    officer: str = ""
    expert: str = ""
    expert_email: str = ""
    # The category's climate impact as the centre judges it: a fact about the procurement, not a requirement.
    climate_impact: str = ""


@dataclass
class Brief:
    municipality: str
    municipality_slug: str
    year: int
    # 1–4, or None for the whole plan.
    quarter: int | None
    printed_on: date
    items: list[BriefItem] = field(default_factory=list)
    # Per goal of the municipality, the plan's procurements serving it and how far they have come.
    goals: list[GoalProgress] = field(default_factory=list)
    # Social considerations (issue 18), on the brief's first page; None on the others.
    social: "BriefSocial | None" = None

    @property
    def period(self) -> str:
        """ "2027" or "Q2 2027", for headings and headers."""
        if self.quarter is None:
            return str(self.year)
        return _("Q%(quarter)d %(year)d") % {"quarter": self.quarter, "year": self.year}

    @property
    def filename(self) -> str:
        suffix = f"-q{self.quarter}" if self.quarter else ""
        return f"styrelsebrief-{self.municipality_slug}-{self.year}{suffix}.pdf"


def parse_quarter(raw: str | None) -> tuple[int | None, bool]:
    """(quarter, valid) from ?quarter=: "1"–"4" is that quarter; empty is the whole plan; anything
    else is the whole plan too, but not valid, so the page can say it was ignored."""
    text = (raw or "").strip()
    if not text:
        return None, True
    if text in {str(quarter) for quarter in QUARTERS}:
        return int(text), True
    return None, False


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """The first day of the quarter and the first day after it."""
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end


def _strategic(plan: Plan, quarter: int | None):
    procurements = plan.procurements.strategic()
    if quarter is not None:
        start, end = quarter_bounds(plan.year, quarter)
        procurements = procurements.filter(planned_advertisement__gte=start, planned_advertisement__lt=end)
    return procurements


def brief_count(*, plan: Plan, quarter: int | None) -> int:
    """How many procurements the brief of the plan (or of the quarter) holds."""
    return _strategic(plan, quarter).count()


def plan_brief(
    *,
    plan: Plan,
    quarter: int | None,
    disclosure: Disclosure,
    today: date | None = None,
    start: int = 0,
    stop: int | None = None,
) -> Brief:
    """The brief of a plan (or one quarter of it), or its blocks from position start to stop (one page
    of it). Queries: the rubric once, the procurements with their departments, officers and outcomes,
    their guidance and its authors: four, whatever the count."""
    today = today or timezone.localdate()
    procurements = (
        _strategic(plan, quarter)
        .select_related("department", "outcome", "officer")
        .prefetch_related(
            Prefetch(
                "guidance", queryset=Guidance.objects.select_related("user").order_by("created_at", "pk")
            )
        )
        .order_by("planned_advertisement", "ref")
    )[start:stop]
    items = []
    for procurement in procurements:
        # The same Plan instance for all, so that its cached rubric is read once.
        procurement.plan = plan
        items.append(brief_item(procurement, disclosure=disclosure, today=today))
    return Brief(
        municipality=plan.municipality.name,
        municipality_slug=plan.municipality.slug,
        year=plan.year,
        quarter=quarter,
        printed_on=today,
        items=items,
        goals=goal_progress(plan, disclosure),
        social=brief_social(plan_figures(plan), year=plan.year) if start == 0 else None,
    )


@dataclass(frozen=True)
class BriefSocialRow:
    department: str
    procurements: int
    # "3 (25,0 %)": how many, and their share of the department's procurements.
    social: str
    reserved: str


@dataclass(frozen=True)
class BriefSocial:
    """The brief's short section on social considerations (issue 18), in the reader's language: who asks
    for social requirements, what the plan did for the labour reserve, and the decisions on matches."""

    planned: str
    departments: tuple[BriefSocialRow, ...]
    labour: str
    decisions: str


def _percent(share_, places: int = 1) -> str:
    return "–" if share_ is None else f"{formats.number_format(share_, places)}\u00a0%"


def _counted(count: int, share_) -> str:
    return f"{count} ({_percent(share_)})"


def brief_social(figures: PlanFigures, *, year: int) -> BriefSocial:
    """The plan's social figures as the brief's few lines (counts only: nothing the disclosure hides)."""
    total, reserve = figures.total, figures.reserve
    planned = _(
        "Of the plan's %(count)d procurements, %(social)s plan social requirements and %(reserved)s a "
        "contract reserved for social enterprises."
    ) % {
        "count": total.procurements,
        "social": _counted(total.social_planned, total.social_planned_share),
        "reserved": _counted(total.reserved_planned, total.reserved_planned_share),
    }
    labour = _(
        "People employed through the plan's procurements so far: %(employed)d; internships: %(internships)d."
    ) % {"employed": reserve.people_employed, "internships": reserve.internships}
    if reserve.outside is None:
        labour += " " + _("No labour reserve is recorded for %(year)d.") % {"year": year}
    else:
        labour += " " + _(
            "The labour reserve %(year)d: %(outside)d people outside the labour market, %(reached)s reached "
            "by the labour-market department; those employed are %(share)s of those outside."
        ) % {
            "year": year,
            "outside": reserve.outside,
            "reached": "–" if reserve.reached is None else reserve.reached,
            "share": _percent(reserve.employed_of_outside, 2),
        }
    decisions = _(
        "Matches with social enterprises decided: %(taken)d taken, %(not_suitable)d not suitable."
    ) % {"taken": figures.decisions_taken, "not_suitable": figures.decisions_not_suitable}
    rows = tuple(
        BriefSocialRow(
            department=department.department,
            procurements=department.total.procurements,
            social=_counted(department.total.social_planned, department.total.social_planned_share),
            reserved=_counted(department.total.reserved_planned, department.total.reserved_planned_share),
        )
        for department in figures.departments
    )
    return BriefSocial(planned=planned, departments=rows, labour=labour, decisions=decisions)


def _who(user) -> str:
    return str(user) if user is not None else _("a former user")


def _label(choices, value) -> str:
    """The label of a stored choice, as get_FOO_display() gives it (which costs far more, per call)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _status(procurement) -> tuple[str, str]:
    try:
        outcome = procurement.outcome
    except ObjectDoesNotExist:
        return Outcome.Status.NOT_STARTED.value, str(Outcome.Status.NOT_STARTED.label)
    return outcome.status, _label(Outcome.Status, outcome.status)


def social_requirements(procurement) -> tuple[str, ...]:
    """The social requirements planned, in the reader's language; empty when there are none."""
    planned = [
        (procurement.employment_requirement, _("Employment requirement")),
        (procurement.reserved_contract, _("Reserved for social enterprises")),
        (procurement.labour_conditions, _("Labour-law conditions")),
        (procurement.lots, _("Divided into lots")),
    ]
    return tuple(label for applies, label in planned if applies)


def environmental_requirements(procurement) -> tuple[str, ...]:
    """The environmental requirements planned: their level. (The climate impact is not a requirement:
    BriefItem.climate_impact.)"""
    level = _label(EnvironmentalLevel, procurement.environmental_level)
    return (_("Environmental requirements: %(level)s") % {"level": level},)


def brief_item(procurement, *, disclosure: Disclosure, today: date) -> BriefItem:
    """One procurement's block, as the reader may see it. Reads only what plan_brief() loaded."""
    assessment = disclosure.assessment(procurement)
    hidden = disclosure.hides(procurement)
    status, status_label = _status(procurement)
    scores = (
        BriefScore("E", _("Economic weight (E)"), assessment.economic.value, assessment.economic.reasons),
        BriefScore("S", _("Social weight (S)"), assessment.social.value, assessment.social.reasons),
        BriefScore(
            "M",
            _("Environmental weight (M)"),
            assessment.environmental.value,
            assessment.environmental.reasons,
        ),
        BriefScore("R", _("Supply risk (R)"), assessment.supply_risk.value, assessment.supply_risk.reasons),
    )
    return BriefItem(
        ref=procurement.ref,
        title=procurement.title,
        description=disclosure.description(procurement),
        department=procurement.department.name,
        value=disclosure.value_text(procurement),
        value_hidden=hidden,
        quadrant=assessment.quadrant,
        quadrant_label=str(Quadrant.labels.get(assessment.quadrant, assessment.quadrant)),
        priority=_("%(priority)s of 100") % {"priority": formats.number_format(assessment.priority, 1)},
        scores=scores,
        strategic_reasons=assessment.strategic_reasons,
        social=social_requirements(procurement),
        environmental=environmental_requirements(procurement),
        guidance=tuple(
            BriefGuidance(
                kind=_label(Guidance.Kind, g.kind), text=g.text, who=_who(g.user), when=g.created_at
            )
            for g in procurement.guidance.all()
        ),
        status=status,
        status_label=status_label,
        planned_advertisement=procurement.planned_advertisement,
        freeze_date=assessment.freeze_date,
        freeze_passed=assessment.freeze_date is not None and assessment.freeze_date < today,
        officer=str(procurement.officer) if procurement.officer_id else "",
        expert=procurement.expert_name,
        expert_email=procurement.expert_email,
        climate_impact=_label(ClimateImpact, procurement.climate_impact),
    )
