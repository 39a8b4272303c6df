"""The centre's year as a table: the plan table's columns and fast rows (plans.register.tables), with the
municipality, the CPV code and its label, the quarter, the officer and the coordination of each row."""

from html import escape

import django_tables2 as tables
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from plans.centre import cpv
from plans.dates import quarter
from plans.models import Procurement
from plans.register.tables import ProcurementTable


def quarter_text(day, year: int) -> str:
    """ "Q2" in the plans' own year; "Q4 2026" in another, so that it is not read as this year's Q4."""
    if day.year == year:
        return gettext("Q%(quarter)s") % {"quarter": quarter(day)}
    return gettext("Q%(quarter)s %(year)s") % {"quarter": quarter(day), "year": day.year}


class CentreYearTable(ProcurementTable):
    # The coordination column says it already: no tag by the title as well.
    mark_coordinated = False
    # Each municipality's rows by ref, so that the pages of a sorted table do not shuffle.
    municipality = tables.Column(
        verbose_name=_("Municipality"),
        accessor="plan__municipality__name",
        order_by=("plan__municipality__name", "ref"),
    )
    cpv = tables.Column(verbose_name=_("CPV"), attrs={"td": {"class": "cpv"}})
    officer = tables.Column(
        verbose_name=_("Officer"),
        order_by=(
            "officer__first_name",
            "officer__last_name",
            "officer__username",
            "plan__municipality__name",
            "ref",
        ),
    )
    coordination = tables.Column(verbose_name=_("Coordination"), orderable=False, empty_values=())

    class Meta(ProcurementTable.Meta):
        attrs = {"class": "table plan-table year-table", "id": "year-table"}
        order_by = ("municipality",)
        exclude = (
            "category",
            "current_contract_ends",
            "economic_score",
            "social_score",
            "environmental_score",
            "supply_risk_score",
        )
        sequence = (
            "municipality",
            "ref",
            "title",
            "cpv",
            "department",
            "shown_value",
            "kraljic",
            "strategic",
            "priority",
            "planned_advertisement",
            "officer",
            "coordination",
        )

    def __init__(
        self, *args, year: int, plan_urls: dict, suggestions: frozenset, coordination_url: str, **kwargs
    ):
        super().__init__(*args, plan=None, **kwargs)
        self.year = year  # the plans' year: a quarter of another calendar year is named with its year
        self.plan_urls = plan_urls  # municipality id → the address of its plan of the year
        self.suggestions = suggestions
        self.coordination_url = coordination_url

    def addresses(self):
        urls = self.plan_urls
        return lambda record: Procurement.address(urls[record.plan.municipality_id], record.ref)

    def _fast_cell(self, column, record, url, labels):
        name = column.name
        if name == "municipality":
            return escape(record.plan.municipality.name)
        if name == "cpv":
            text = cpv.label(record.cpv)
            label = f' <span class="cpv-label" lang="en">{escape(text)}</span>' if text else ""
            return f'<span class="nowrap">{escape(record.cpv)}</span>{label}'
        if name == "planned_advertisement":
            day = record.planned_advertisement
            quarter = escape(quarter_text(day, self.year))
            return f'{day.strftime("%Y-%m-%d")} <span class="muted">{quarter}</span>'
        if name == "officer":
            officer = record.officer
            return "" if officer is None else escape(officer.get_full_name() or officer.username)
        if name == "coordination":
            return self.coordination_cell(record)
        return super()._fast_cell(column, record, url, labels)

    def coordination_cell(self, record) -> str:
        """Coordinated with how many other municipalities (and whether it leads), could be, or nothing."""
        group = record.coordination
        if group is not None and group.is_active:
            others = record.coordinated_with
            if group.lead_id == record.pk:
                text = ngettext(
                    "Coordinated with %(count)s other municipality (lead)",
                    "Coordinated with %(count)s other municipalities (lead)",
                    others,
                )
            else:
                text = ngettext(
                    "Coordinated with %(count)s other municipality",
                    "Coordinated with %(count)s other municipalities",
                    others,
                )
            link = f"{self.coordination_url}#group-{group.pk}"
            return f'<a href="{escape(link)}">{escape(text % {"count": others})}</a>'
        if record.pk in self.suggestions:
            return f'<a href="{escape(self.coordination_url)}">{escape(gettext("Could be coordinated"))}</a>'
        return ""
