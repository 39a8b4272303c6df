import django_tables2 as tables
from django.db.models import F
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .formatting import format_sek
from .scoring import Quadrant


class ProcurementTable(tables.Table):
    ref = tables.Column(verbose_name=_("Ref."), linkify=True, attrs={"td": {"class": "nowrap"}})
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    department = tables.Column(verbose_name=_("Department"), order_by=("department__name",))
    category = tables.Column(verbose_name=_("Category"))
    shown_value = tables.Column(
        verbose_name=_("Estimated value"),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
        # NULL here means the value is confidential to this viewer.
        default=_("Confidential"),
    )
    planned_advertisement = tables.DateColumn(
        verbose_name=_("Advertised"), format="Y-m-d", attrs={"td": {"class": "nowrap"}}
    )
    current_contract_ends = tables.DateColumn(
        verbose_name=_("Contract ends"), format="Y-m-d", attrs={"td": {"class": "nowrap"}}
    )

    economic_score = tables.Column(
        verbose_name=_("E"),
        attrs={"th": {"title": _("Economic weight"), "class": "num"}, "td": {"class": "num"}},
    )
    social_score = tables.Column(
        verbose_name=_("S"),
        attrs={"th": {"title": _("Social weight"), "class": "num"}, "td": {"class": "num"}},
    )
    environmental_score = tables.Column(
        verbose_name=_("M"),
        attrs={"th": {"title": _("Environmental weight"), "class": "num"}, "td": {"class": "num"}},
    )
    supply_risk_score = tables.Column(
        verbose_name=_("R"), attrs={"th": {"title": _("Supply risk"), "class": "num"}, "td": {"class": "num"}}
    )
    kraljic = tables.Column(verbose_name=_("Kraljic"))
    strategic = tables.Column(verbose_name=_("Strategic"), attrs={"td": {"class": "center"}})
    priority = tables.Column(
        verbose_name=_("Priority"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )

    class Meta:
        attrs = {"class": "table plan-table", "id": "plan-table"}
        order_by = ("ref",)
        empty_text = _("No procurements match the filters.")
        orderable = True

    def order_shown_value(self, queryset, is_descending):
        """Confidential values sort last whichever the direction, on every database."""
        value = F("shown_value")
        ordered = value.desc(nulls_last=True) if is_descending else value.asc(nulls_last=True)
        return queryset.order_by(ordered, "ref"), True

    def render_kraljic(self, value, record):
        quadrant = record.kraljic
        return format_html('<span class="quadrant q-{}">{}</span>', quadrant, Quadrant.labels[quadrant])

    def render_strategic(self, value, record):
        if not value:
            return ""
        label = _("Flagged strategic") if record.flagged_strategic else _("Strategic for review")
        return format_html('<span class="star" title="{}" aria-label="{}">★</span>', label, label)

    def render_priority(self, value):
        return formats.number_format(value, 1)

    def render_department(self, value, record):
        return format_html('<abbr title="{}">{}</abbr>', value.name, value.code)

    def render_category(self, record):
        return record.get_category_display()

    def render_shown_value(self, value, record):
        return format_sek(value)

    def value_shown_value(self, value, record):
        return value


class RankingTable(ProcurementTable):
    """The plan ranked by priority: the same columns, a rank first, no re-sorting."""

    rank = tables.Column(verbose_name=_("Rank"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta(ProcurementTable.Meta):
        orderable = False
        order_by = None
        sequence = ("rank", "priority", "ref", "title", "...")
