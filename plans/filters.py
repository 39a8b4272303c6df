"""The plan page's filters. Their state lives in the query string, so a filtered view can be bookmarked."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Category, Procedure, Procurement


class ProcurementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Reference or title")}),
    )
    department = django_filters.ChoiceFilter(
        field_name="department__code", label=_("Department"), empty_label=_("All")
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("Category"), empty_label=_("All")
    )
    procedure = django_filters.ChoiceFilter(
        choices=Procedure.choices, label=_("Procedure"), empty_label=_("All")
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

    class Meta:
        model = Procurement
        fields = []

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].extra["choices"] = [
            (code, name)
            for code, name in plan.municipality.departments.order_by("name").values_list("code", "name")
        ]

    def filter_text(self, queryset, name, value):
        words = value.split()
        for word in words[:10]:
            queryset = queryset.filter(Q(ref__icontains=word) | Q(title__icontains=word))
        return queryset
