from html import escape

import django_tables2 as tables
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F
from django.utils import formats, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from plans.formatting import format_sek
from plans.models import Category, Procurement
from plans.scoring.rules import Quadrant


class CountedPaginator(Paginator):
    """A paginator told how many rows it pages, where the view has counted them already."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count  # in place of the cached COUNT(*) query


class ProcurementTable(tables.Table):
    ref = tables.Column(verbose_name=_("Ref."), linkify=True, attrs={"td": {"class": "nowrap"}})
    # Named, so the page can give titles room enough for two lines (app.css, .plan-table .title).
    title = tables.Column(
        verbose_name=_("Title"), linkify=True, attrs={"td": {"class": "title"}, "th": {"class": "title"}}
    )
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
        # django-tables2's header, sorting and pagination, with the rows drawn by body_html().
        template_name = "plans/register/includes/plan_table.html"

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        # The plan every row belongs to: its address is the start of each row's link, so the rows
        # need neither the plan nor its municipality joined in.
        self.plan = plan

    def body_html(self):
        """The rows of the page as HTML: the same cells django-tables2 renders, drawn directly.

        django-tables2 renders each cell through a chain of lookups, signature inspection and (for
        dates) a template, which made 50 rows cost more than everything else on the plan page; here
        each cell is one expression. A column without a fast cell falls back to django-tables2.
        """
        columns = [(column, column.attrs["td"].as_html()) for column in self.columns]
        # What does not change from row to row, looked up once: labels, the decimal separator, and the
        # address every procurement's own extends (as reverse() would quote its ref).
        labels = {
            "quadrants": {quadrant: escape(label) for quadrant, label in Quadrant.labels.items()},
            "categories": {code: escape(label) for code, label in Category.choices},
            "flagged": escape(_("Flagged strategic")),
            "strategic": escape(_("Strategic for review")),
            "coordinated": (
                f' <span class="tag tag-coordinated">{escape(_("Coordinated"))}</span>'
                if self.mark_coordinated
                else ""
            ),
            "decimal": formats.get_format("DECIMAL_SEPARATOR"),
            "grouped": settings.USE_THOUSAND_SEPARATOR,
            "language": translation.get_language() or "sv",
        }
        address = self.addresses()
        rows = []
        for row in self.paginated_rows:
            record = row.record
            url = escape(address(record))
            cells = []
            for column, attrs in columns:
                cell = self._fast_cell(column, record, url, labels)
                if cell is None:
                    cell = conditional_escape(row.get_cell(column.name))
                cells.append(f"<td {attrs}>{cell}</td>")
            rows.append(f"<tr {row.attrs.as_html()}>{''.join(cells)}</tr>")
        if not rows and self.empty_text:
            rows.append(f'<tr><td colspan="{len(columns)}">{escape(str(self.empty_text))}</td></tr>')
        return mark_safe("\n".join(rows))

    # A small "Coordinated" by the title of a row in a coordinated procurement (issue 16); a table with a
    # column of its own for it turns this off.
    mark_coordinated = True

    def addresses(self):
        """record → the address of its own page, from the plan's address looked up once per page (the
        centre's year, whose rows are of several plans, has its own: plans.centre.tables)."""
        plan_url = self.plan.get_absolute_url()
        return lambda record: Procurement.address(plan_url, record.ref)

    def _fast_cell(self, column, record, url, labels):
        """The cell's HTML, or None to let django-tables2 render it."""
        name = column.name
        if name == "title" and record.coordination_id:
            # Issue 16: in a coordinated procurement (read from the row alone: no query).
            return f'<a href="{url}">{escape(record.title)}</a>{labels["coordinated"]}'
        if name in ("ref", "title"):
            return f'<a href="{url}">{escape(getattr(record, name))}</a>'
        if name in ("planned_advertisement", "current_contract_ends"):
            value = getattr(record, name)
            return escape(str(column.default) if value is None else value.strftime("%Y-%m-%d"))
        if name in FAST_NUMBERS:
            value = getattr(record, name)
            if value is None:
                return escape(str(column.default))
            return escape(formats.localize(value)) if labels["grouped"] else str(int(value))
        if name == "shown_value":
            value = record.shown_value
            return escape(str(column.default) if value is None else format_sek(value, labels["language"]))
        if name == "department":
            department = record.department
            return f'<abbr title="{escape(department.name)}">{escape(department.code)}</abbr>'
        if name == "category":
            return labels["categories"].get(record.category) or escape(record.category)
        if name == "kraljic":
            quadrant = record.kraljic
            label = labels["quadrants"].get(quadrant, "")
            return f'<span class="quadrant q-{escape(quadrant)}">{label}</span>'
        if name == "strategic":
            if not record.strategic:
                return ""
            label = labels["flagged"] if record.flagged_strategic else labels["strategic"]
            return f'<span class="star" title="{label}" aria-label="{label}">★</span>'
        if name == "priority":
            if labels["grouped"]:
                return escape(self.render_priority(record.priority))
            return f"{record.priority:.1f}".replace(".", labels["decimal"])
        return None

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


FAST_NUMBERS = {"rank", "economic_score", "social_score", "environmental_score", "supply_risk_score"}


class RankingTable(ProcurementTable):
    """The plan ranked by priority: the same columns, a rank first, no re-sorting."""

    rank = tables.Column(verbose_name=_("Rank"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta(ProcurementTable.Meta):
        orderable = False
        order_by = None
        sequence = ("rank", "priority", "ref", "title", "...")
