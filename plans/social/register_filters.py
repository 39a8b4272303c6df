"""The register's filters: a search over name, organisation number and services, the municipality, the
category, and whether an enterprise qualifies for reserved contracts. Their state lives in the query
string."""

import contextlib

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.org_numbers import OrgNumberError, normalise_org_number
from plans.models import Category, SocialEnterprise
from plans.register.widgets import PlainSelect

YES, NO = "yes", "no"


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    municipality = django_filters.ChoiceFilter(
        label=_("Municipality"), field_name="municipality__slug", empty_label=_("All"), widget=PlainSelect
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=Category.choices,
        method="in_category",
        empty_label=_("All"),
        widget=PlainSelect,
    )
    reserved = django_filters.ChoiceFilter(
        label=_("Qualifies for reserved contracts"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        method="qualifies",
        empty_label=_("All"),
        widget=PlainSelect,
    )

    class Meta:
        model = SocialEnterprise
        fields: list = []

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].extra["choices"] = [(m.slug, m.name) for m in municipalities]

    def search(self, queryset, name, value):
        words = value.split()[:10]
        for word in words:
            digits = word.replace("-", "")
            match = Q(name__icontains=word) | Q(services__icontains=word) | Q(contact_name__icontains=word)
            if digits.isdigit():
                match |= Q(org_number__contains=word) | Q(cpv_codes__icontains=digits)
                # An organisation number written without its dash (8024561234) or with the century.
                with contextlib.suppress(OrgNumberError):
                    match |= Q(org_number=normalise_org_number(word))
            queryset = queryset.filter(match)
        return queryset

    def in_category(self, queryset, name, value):
        # The list's JSON text holds the category in quotes ("services"): the same on SQLite, which has
        # no JSON containment, and on PostgreSQL; a choice is one of three plain words.
        return queryset.filter(categories__icontains=f'"{value}"')

    def qualifies(self, queryset, name, value):
        return queryset.filter(reserved_qualified=value == YES)
