"""The centre's year's filters: the plan page's (plans.register.filters), across every municipality the
centre serves, and the centre's own: municipality, CPV division and group, quarter, officer and
coordination. Their state lives in the query string, as the plan page's does."""

from dataclasses import dataclass, field

import django_filters
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from plans.centre import cpv
from plans.models import QUARTERS
from plans.register.filters import ProcurementFilter, usable_filters
from plans.register.widgets import PlainSelect

NO_OFFICER = "none"
COORDINATED, SUGGESTED, ALONE = "coordinated", "suggested", "alone"
COORDINATION_CHOICES = [
    (COORDINATED, _("Coordinated")),
    (SUGGESTED, _("Could be coordinated")),
    (ALONE, _("Neither")),
]
QUARTER_CHOICES = [(str(quarter), format_lazy("{} {}", _("Quarter"), quarter)) for quarter in QUARTERS]
# The form's order: where the rows come from first, then what they are, then the plan page's scores.
ORDER = (
    "q",
    "municipality",
    "department",
    "cpv_division",
    "cpv_group",
    "category",
    "procedure",
    "quarter",
    "officer",
    "coordination",
    "value_min",
    "value_max",
    "kraljic",
    "strategic",
    "economic_min",
    "social_min",
    "environmental_min",
    "supply_risk_min",
    "priority_min",
    "no_expert",
)
# A select is as wide as its longest option: the longest CPV labels run to 138 characters.
LABEL_LENGTH = 60


@dataclass(frozen=True)
class YearChoices:
    """What the selects offer, read by the view in one query each."""

    municipalities: list = field(default_factory=list)  # (slug, name)
    departments: list = field(default_factory=list)  # (pk, "name (municipality)")
    officers: list = field(default_factory=list)  # (pk, name)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"


def cpv_choices(levels) -> list[tuple[str, str]]:
    return [(code, f"{code} {_short(text)}") for code, text in levels]


def _select(label, **kwargs):
    return django_filters.ChoiceFilter(label=label, empty_label=_("All"), widget=PlainSelect, **kwargs)


class CentreYearFilter(ProcurementFilter):
    # The plan page's department filter reads a department's code, which is the municipality's own: here a
    # department is chosen with its municipality. Goals are each municipality's own: no filter for them.
    department = _select(_("Department"), field_name="department")
    goal = None
    # The officer filter offers "No officer".
    no_officer = None

    municipality = _select(_("Municipality"), field_name="plan__municipality__slug")
    cpv_division = _select(_("CPV division"), field_name="cpv", lookup_expr="startswith")
    cpv_group = _select(_("CPV group"), field_name="cpv", lookup_expr="startswith")
    quarter = _select(
        _("Quarter advertised"),
        field_name="planned_advertisement",
        lookup_expr="quarter",
        choices=QUARTER_CHOICES,
    )
    officer = _select(_("Officer"), method="filter_officer")
    coordination = _select(_("Coordination"), method="filter_coordination", choices=COORDINATION_CHOICES)

    def __init__(self, data=None, queryset=None, *, choices: YearChoices, suggestions: frozenset, **kwargs):
        # Not ProcurementFilter.__init__: its choices are one plan's.
        super(ProcurementFilter, self).__init__(data, queryset, **kwargs)
        self.suggestions = suggestions
        self.filters = {name: self.filters[name] for name in ORDER}
        self.filters["municipality"].extra["choices"] = choices.municipalities
        self.filters["department"].extra["choices"] = [(str(pk), name) for pk, name in choices.departments]
        self.filters["officer"].extra["choices"] = [(NO_OFFICER, _("No officer"))] + [
            (str(pk), name) for pk, name in choices.officers
        ]
        self.filters["cpv_division"].extra["choices"] = cpv_choices(cpv.divisions())
        self.filters["cpv_group"].extra["choices"] = cpv_choices(cpv.groups())

    def filter_officer(self, queryset, name, value):
        if value == NO_OFFICER:
            return queryset.filter(officer__isnull=True)
        return queryset.filter(officer_id=value)

    def filter_coordination(self, queryset, name, value):
        """Coordinated: in an active coordinated procurement. Could be coordinated: not yet, but in one of
        the coordination page's suggestions (plans.centre.coordination.suggestion_ids)."""
        coordinated = {"coordination__isnull": False, "coordination__dissolved_at__isnull": True}
        if value == COORDINATED:
            return queryset.filter(**coordinated)
        if value == SUGGESTED:
            return queryset.exclude(**coordinated).filter(pk__in=self.suggestions)
        return queryset.exclude(**coordinated).exclude(pk__in=self.suggestions)


def apply_year_filters(data, *, queryset, choices, suggestions) -> tuple[CentreYearFilter, list[str]]:
    """The filterset for the query string, with every unusable value dropped (and named), never an error."""
    return usable_filters(CentreYearFilter, data, queryset=queryset, choices=choices, suggestions=suggestions)
