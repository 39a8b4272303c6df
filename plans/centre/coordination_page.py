"""What the coordination page shows (issue 16): the year's active groups with their members, and the
rule's suggestions a page at a time, each procurement as the viewer may see it. A fixed number of queries
however many procurements the year has: the groups, their members, the candidates, the page's members."""

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _

from plans.centre import coordination, cpv
from plans.centre.access import CentreAccess
from plans.centre.suggestions import CPV, Suggestion
from plans.formatting import format_sek
from plans.models import CoordinationGroup, Procurement

SUGGESTIONS_PER_PAGE = 20
ROW_FIELDS = (
    "pk",
    "ref",
    "title",
    "cpv",
    "planned_advertisement",
    "estimated_value_sek",
    "confidential",
    "coordination_id",
    "plan__year",
    "plan__adopted_on",
    "plan__municipality__slug",
    "plan__municipality__name",
)


@dataclass(frozen=True)
class Row:
    """One procurement as the page shows it."""

    pk: int
    municipality: str
    ref: str
    title: str
    cpv: str
    url: str
    advertised: date
    value: int | None  # None where it is secret to the viewer
    value_text: str
    adopted: bool
    group_id: int | None


@dataclass
class Group:
    group: CoordinationGroup
    members: list[Row] = field(default_factory=list)

    @property
    def lead(self) -> Row | None:
        return next((row for row in self.members if row.pk == self.group.lead_id), None)

    @property
    def combined_text(self) -> str:
        return _sum_text(self.members)

    @property
    def can_dissolve(self) -> bool:
        return not any(row.adopted for row in self.members)

    @property
    def can_leave(self) -> bool:
        """A member may leave unless that leaves one adopted member alone (it cannot be dissolved)."""
        return len(self.members) > 2 or self.can_dissolve


@dataclass
class Shown:
    """A suggestion with its procurements read: to create a group, or to join one (group set)."""

    suggestion: Suggestion
    rows: list[Row]
    heading: str
    group: Group | None = None

    @property
    def anchor(self) -> int:
        return self.suggestion.members[0]

    @property
    def free_rows(self) -> list[Row]:
        return [row for row in self.rows if row.pk in self.suggestion.free]

    @property
    def combined_text(self) -> str:
        return _sum_text(self.rows)


def _sum_text(rows) -> str:
    """The combined value of rows as the viewer may see it, saying how many are left out."""
    total = format_sek(sum(row.value for row in rows if row.value is not None))
    hidden = sum(1 for row in rows if row.value is None)
    if not hidden:
        return total
    return _("%(total)s (%(count)s confidential left out)") % {"total": total, "count": hidden}


class RowReader:
    """Rows from values_list(*ROW_FIELDS), the plans' addresses reversed once each."""

    def __init__(self, ca: CentreAccess):
        self.disclosure = ca.disclosure
        self.plan_urls = {}

    def rows(self, queryset) -> list[Row]:
        return [self.row(values) for values in queryset.order_by().values_list(*ROW_FIELDS)]

    def row(self, values) -> Row:
        (
            pk,
            ref,
            title,
            cpv_code,
            advertised,
            value,
            confidential,
            group_id,
            year,
            adopted_on,
            slug,
            name,
        ) = values
        if (slug, year) not in self.plan_urls:
            self.plan_urls[slug, year] = reverse("plans:plan", kwargs={"municipality": slug, "year": year})
        shown = None if self.disclosure.hidden(confidential) else value
        return Row(
            pk=pk,
            municipality=name,
            ref=ref,
            title=title,
            cpv=cpv_code,
            url=Procurement.address(self.plan_urls[slug, year], ref),
            advertised=advertised,
            value=shown,
            value_text=_("Confidential") if shown is None else format_sek(shown),
            adopted=adopted_on is not None,
            group_id=group_id,
        )


def active_groups(ca: CentreAccess, reader: RowReader) -> list[Group]:
    """The year's active groups with their members (the lead first, then by date): two queries."""
    groups = {
        group.pk: Group(group)
        for group in CoordinationGroup.objects.filter(
            centre=ca.centre, year=ca.year, dissolved_at__isnull=True
        ).order_by("title", "pk")
    }
    if groups:
        members = Procurement.objects.filter(coordination_id__in=groups)
        for row in reader.rows(members):
            groups[row.group_id].members.append(row)
    for shown in groups.values():
        lead_id = shown.group.lead_id
        shown.members.sort(key=lambda row: (row.pk != lead_id, row.advertised, row.municipality, row.pk))
    # A group whose members went with their plan (deleted in the admin, say) is no group to show.
    return [shown for shown in groups.values() if len({row.municipality for row in shown.members}) >= 2]


def suggestion_heading(suggestion: Suggestion) -> str:
    if suggestion.kind == CPV:
        label = cpv.label(suggestion.key.ljust(8, "0"))
        return _("CPV %(code)s: %(label)s") % {"code": suggestion.key, "label": label or "–"}
    return _("Similar titles: %(words)s") % {"words": suggestion.key}


def suggestion_page(ca: CentreAccess, reader: RowReader, groups: list[Group], page_number, **options):
    """(Page of Shown, every suggestion's count) with the settings in use (options: cpv_digits, months)."""
    found = coordination.suggestions(ca.centre, ca.year, ca.settings, **options)
    page = Paginator(found, SUGGESTIONS_PER_PAGE).get_page(page_number)
    pks = {pk for suggestion in page.object_list for pk in suggestion.members}
    by_group = {shown.group.pk: shown for shown in groups}
    rows = {row.pk: row for row in reader.rows(Procurement.objects.filter(pk__in=pks))} if pks else {}
    page.object_list = [
        Shown(
            suggestion=suggestion,
            rows=[rows[pk] for pk in suggestion.members if pk in rows],
            heading=suggestion_heading(suggestion),
            group=by_group.get(suggestion.group_id),
        )
        for suggestion in page.object_list
    ]
    return page, len(found)
