"""The plan page's filters. Their state lives in the query string, so a filtered view can be bookmarked."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plans.models import Category, Procedure, Procurement
from plans.register.widgets import FlagCheckbox, PlainSelect
from plans.scoring.rules import Quadrant

SCORE_CHOICES = [(str(score), str(score)) for score in range(1, 6)]


def score_at_least(field_name, label):
    return django_filters.ChoiceFilter(
        field_name=field_name,
        lookup_expr="gte",
        choices=SCORE_CHOICES,
        label=label,
        empty_label="",
        widget=PlainSelect,
    )


class ProcurementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Reference or title")}),
    )
    department = django_filters.ChoiceFilter(
        field_name="department__code", label=_("Department"), empty_label=_("All"), widget=PlainSelect
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("Category"), empty_label=_("All"), widget=PlainSelect
    )
    procedure = django_filters.ChoiceFilter(
        choices=Procedure.choices, label=_("Procedure"), empty_label=_("All"), widget=PlainSelect
    )
    # shown_value is the value the viewer may see (NULL where it is confidential to them), so a
    # range filter cannot be used to guess a confidential value.
    value_min = django_filters.NumberFilter(
        field_name="shown_value",
        lookup_expr="gte",
        label=_("Value from (SEK)"),
        widget=forms.NumberInput(attrs={"min": 0, "step": 1000}),
    )
    value_max = django_filters.NumberFilter(
        field_name="shown_value",
        lookup_expr="lte",
        label=_("Value to (SEK)"),
        widget=forms.NumberInput(attrs={"min": 0, "step": 1000}),
    )

    kraljic = django_filters.ChoiceFilter(
        choices=Quadrant.choices, label=_("Kraljic quadrant"), empty_label=_("All"), widget=PlainSelect
    )
    strategic = django_filters.BooleanFilter(
        label=_("Strategic for review"),
        widget=PlainSelect(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )
    economic_min = score_at_least("economic_score", _("E at least"))
    social_min = score_at_least("social_score", _("S at least"))
    environmental_min = score_at_least("environmental_score", _("M at least"))
    supply_risk_min = score_at_least("supply_risk_score", _("R at least"))
    priority_min = django_filters.NumberFilter(
        field_name="priority",
        lookup_expr="gte",
        label=_("Priority at least"),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
    )
    # Issue 14: every strategic procurement has its people, and serves the municipality's goals.
    no_expert = django_filters.BooleanFilter(
        method="filter_no_expert", label=_("No expert named"), widget=FlagCheckbox
    )
    no_officer = django_filters.BooleanFilter(
        method="filter_no_officer", label=_("No officer"), widget=FlagCheckbox
    )
    goal = django_filters.ChoiceFilter(
        field_name="goals", label=_("Serves the goal"), empty_label=_("All"), widget=PlainSelect
    )

    class Meta:
        model = Procurement
        fields = []

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].extra["choices"] = [
            (code, name)
            for code, name in plan.municipality.departments.order_by("name").values_list("code", "name")
        ]
        self.filters["goal"].extra["choices"] = [
            (str(pk), title)
            for pk, title in plan.municipality.goals.order_by("target_year", "title", "pk").values_list(
                "pk", "title"
            )
        ]

    def filter_no_expert(self, queryset, name, value):
        # An expert is named by a name or an e-mail address (the pages show either).
        return queryset.filter(expert_name="", expert_email="") if value else queryset

    def filter_no_officer(self, queryset, name, value):
        return queryset.filter(officer__isnull=True) if value else queryset

    def filter_text(self, queryset, name, value):
        words = value.split()
        for word in words[:10]:
            queryset = queryset.filter(Q(ref__icontains=word) | Q(title__icontains=word))
        return queryset


def apply_filters(data, *, queryset, plan) -> tuple[ProcurementFilter, list[str]]:
    """The filterset for the query string, with every unusable value dropped (and named), never an error."""
    return usable_filters(ProcurementFilter, data, queryset=queryset, plan=plan)


def usable_filters(filterset_class, data, *, queryset, **kwargs) -> tuple:
    """(filterset, labels of the filters ignored): a filterset of the class for the query string, bound
    again without the values it could not use (the centre's year shares this with the plan, issue 16)."""
    data = data.copy()
    filterset = filterset_class(data, queryset=queryset, **kwargs)
    ignored = []
    if filterset.is_bound and not filterset.is_valid():
        for name in filterset.errors:
            field = filterset.form.fields.get(name)
            ignored.append(str(field.label) if field else name)
            data.pop(name, None)
        filterset = filterset_class(data, queryset=queryset, **kwargs)
        filterset.is_valid()
    return filterset, ignored
