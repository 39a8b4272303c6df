"""The capacity page (issue 16): each officer's load per quarter against their capacity, the procurements
behind each figure, and the year's unassigned procurements with a way to assign them.

For the centre's staff (plans.centre.access). Plan administrators set the capacities and the weights on
a page of their own (capacity_edit). An officer is assigned by a small POST that works without
JavaScript (it redirects back with a message) and, asked by htmx, answers with the row it changed and,
out of band, the table and the count, so the page updates in place. The page reads a fixed number of
queries however many procurements the year has.
"""

from dataclasses import dataclass
from datetime import date
from html import escape

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from plans.centre import capacity_services as services
from plans.centre.access import CentreAccess, centre_access
from plans.centre.capacity import QUARTERS, Item, Table, Weights, capacity_stamp, load_table, points_text
from plans.centre.capacity_forms import AssignForm, CapacityForm, WeightsForm
from plans.models import Procurement
from plans.register.fields import MISSING_VERSION, refuse_stale
from plans.register.services import StaleEdit

UNASSIGNED_PAGE_SIZE = 50


@dataclass(frozen=True)
class Shown:
    """What the page shows of a procurement in a cell or in the unassigned list."""

    municipality: str
    ref: str
    title: str
    url: str
    plan_year: int
    version: int


def _officer_name(first_name: str, last_name: str, username: str) -> str:
    """A user as User.__str__ names them, from the values read with the procurements."""
    return f"{first_name} {last_name}".strip() or username


def year_items(ca: CentreAccess) -> tuple[list[Item], dict[int, str]]:
    """The procurements of the centre's municipalities advertised in the year, and those of the year's
    plans advertised before it (the page says where they weigh), as the sums see them, and the names of
    their officers: one query."""
    rows = (
        Procurement.objects.filter(plan__municipality__centre=ca.centre)
        .filter(
            Q(planned_advertisement__range=(date(ca.year, 1, 1), date(ca.year, 12, 31)))
            | Q(plan__year=ca.year)
        )
        .order_by()
        .values_list(
            "pk",
            "ref",
            "title",
            "kraljic",
            "procedure",
            "planned_advertisement",
            "version",
            "officer_id",
            "officer__first_name",
            "officer__last_name",
            "officer__username",
            "plan__year",
            "plan__municipality__slug",
            "plan__municipality__name",
            "coordination_id",
            "coordination__lead_id",
            "coordination__dissolved_at",
        )
    )
    plan_urls, names, items = {}, {}, []
    for (
        pk,
        ref,
        title,
        kraljic,
        procedure,
        advertised,
        version,
        officer_id,
        first_name,
        last_name,
        username,
        plan_year,
        slug,
        municipality,
        coordination_id,
        lead_id,
        dissolved_at,
    ) in rows:
        if (slug, plan_year) not in plan_urls:
            plan_urls[slug, plan_year] = reverse(
                "plans:plan", kwargs={"municipality": slug, "year": plan_year}
            )
        if officer_id is not None:
            names[officer_id] = _officer_name(first_name, last_name, username)
        active = coordination_id is not None and dissolved_at is None
        items.append(
            Item(
                pk=pk,
                officer_id=officer_id,
                quadrant=kraljic,
                procedure=procedure,
                advertised=advertised,
                lead_id=lead_id if active else None,
                row=Shown(
                    municipality=municipality,
                    ref=ref,
                    title=title,
                    url=Procurement.address(plan_urls[slug, plan_year], ref),
                    plan_year=plan_year,
                    version=version,
                ),
            )
        )
    return items, names


@dataclass
class Desk:
    """The year's load, read once for the page and for every fragment htmx swaps in."""

    table: Table
    officers: list  # the centre's officers (User), by name
    names: dict[int, str]  # every officer of a row, by id
    weights: Weights
    # How many procurements of the year's plans are advertised in an earlier year (and weigh there).
    earlier: int = 0

    @property
    def rows(self) -> list[tuple]:
        """The table's rows as drawn: (row, the officer's name, [(cell, the list behind it)]); the
        unassigned row's name is empty."""
        texts = {
            "lead": _("leads a coordinated procurement"),
            "participant": _("coordinated, counted with the lead"),
            # A participant in its own officer's cell: theirs, carried by the lead's officer.
            "own": _("coordinated, counted with the lead (%(officer)s)"),
            "nobody": _("no officer yet"),
            "points": _("%(points)s p"),
        }
        return [
            (
                row,
                self.names.get(row.officer_id, ""),
                [(cell, cell_list(cell, texts, self.names)) for cell in row.cells],
            )
            for row in self.table.rows
        ]


def cell_list(cell, texts: dict, names: dict) -> str:
    """The procurements behind a cell as list items, drawn here rather than in the template: a year
    of a thousand procurements is a thousand items, the page's one long loop (and html.escape on each
    value is three times faster than format_html). names: the officers' names, by id."""

    def note(entry) -> str:
        points = texts["points"] % {"points": entry.weight_text}
        if entry.own_cell:
            officer = names.get(entry.lead_officer_id) or texts["nobody"]
            return f"{points} · {texts['own'] % {'officer': officer}}"
        if not entry.counted:
            return texts["participant"]
        return f"{points} · {texts['lead']}" if entry.item.lead else points

    items = []
    for entry in cell.entries:
        shown = entry.item.row
        items.append(
            f'<li class="{"counted" if entry.counted else "participant"}">'
            f'<a href="{escape(shown.url)}">{escape(shown.ref)}</a> {escape(shown.title)} '
            f'<span class="muted">· {escape(shown.municipality)} · {escape(note(entry))}</span></li>'
        )
    return mark_safe("\n".join(items))  # every value in it is escaped above


def read_desk(ca: CentreAccess) -> Desk:
    officers = list(services.centre_officers(ca.centre))
    capacities = services.capacities_of(ca.centre, ca.year)
    weights = Weights.of(ca.settings)
    items, names = year_items(ca)
    names.update({officer.pk: str(officer) for officer in officers})
    table = load_table(
        items,
        year=ca.year,
        officers=[officer.pk for officer in officers],
        capacities=capacities,
        weights=weights,
    )
    earlier = sum(1 for item in items if item.advertised.year < ca.year)
    return Desk(table=table, officers=officers, names=names, weights=weights, earlier=earlier)


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _context(ca: CentreAccess, desk: Desk, page_number=1) -> dict:
    page = Paginator(desk.table.unassigned, UNASSIGNED_PAGE_SIZE).get_page(page_number)
    return {
        "ca": ca,
        "desk_page": "capacity",
        "desk": desk,
        "table": desk.table,
        "page": page,
        "weights": {name: points_text(getattr(desk.weights, name)) for name in Weights.NAMES},
        "quarters": QUARTERS,
    }


@require_safe
def capacity(request, centre, year):
    """The officer × quarter table of the year and the unassigned procurements."""
    ca = centre_access(request, centre, year)
    desk = read_desk(ca)
    return render(request, "plans/centre/capacity.html", _context(ca, desk, request.GET.get("page")))


def _back(ca: CentreAccess, page_number: int):
    url = reverse("centre:capacity", kwargs={"centre": ca.centre.slug, "year": ca.year})
    return redirect(f"{url}{f'?page={page_number}' if page_number > 1 else ''}#unassigned")


@require_POST
def capacity_assign(request, centre, year, procurement):
    """Assign an officer to a procurement of the centre's municipalities from the unassigned list."""
    ca = centre_access(request, centre, year)
    ca.require(ca.can_assign)
    found = get_object_or_404(
        Procurement.objects.select_related("plan__municipality", "officer"),
        Q(planned_advertisement__range=(date(ca.year, 1, 1), date(ca.year, 12, 31))) | Q(plan__year=ca.year),
        pk=procurement,
        plan__municipality__centre=ca.centre,
    )
    page_number = _page_number(request.POST.get("page"))
    officers = list(services.centre_officers(ca.centre))
    form = AssignForm(request.POST, officers=officers)
    error = saved = None
    if not form.is_valid():
        error = form.errors["officer"][0] if "officer" in form.errors else str(MISSING_VERSION)
    else:
        officer = next(officer for officer in officers if officer.pk == form.cleaned_data["officer"])
        try:
            services.officer_assign(
                procurement=found,
                officer=officer,
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except services.CapacityRefused as refused:
            error = str(refused.message)
        except StaleEdit as stale:
            error = _(
                "Someone else changed %(ref)s after this page was loaded (its officer is now %(officer)s). "
                "Nothing was saved: check it and assign again."
            ) % {"ref": stale.current.ref, "officer": stale.current.officer or _("nobody")}
        else:
            saved = _("%(ref)s %(title)s was assigned to %(officer)s.") % {
                "ref": found.ref,
                "title": found.title,
                "officer": officer,
            }
    if not request.htmx:
        if error:
            messages.error(request, f"{found.ref}: {error}")
        else:
            messages.success(request, saved)
        return _back(ca, page_number)
    desk = read_desk(ca)
    context = _context(ca, desk, page_number)
    entry = next((entry for entry in desk.table.unassigned if entry.item.pk == found.pk), None)
    found.refresh_from_db(fields=["officer", "version"])
    context.update(
        entry=entry, procurement=found, error=error, saved=saved, status_message=saved or error, swap=True
    )
    return render(request, "plans/centre/includes/assigned_row.html", context)


@require_http_methods(["GET", "POST"])
def capacity_edit(request, centre, year):
    """Plan administrators set each officer's capacity per quarter of the year, and the weights."""
    ca = centre_access(request, centre, year)
    ca.require(ca.can_set_capacity)
    officers = list(services.centre_officers(ca.centre))
    capacities = services.capacities_of(ca.centre, ca.year)
    stamp = capacity_stamp(capacities)
    part = request.POST.get("part")
    capacity_form = CapacityForm(
        request.POST if part == "capacity" else None, officers=officers, capacities=capacities, stamp=stamp
    )
    weights_form = WeightsForm(request.POST if part == "weights" else None, settings=ca.settings)
    if part == "capacity" and capacity_form.is_valid():
        try:
            changed = services.capacity_set(
                centre=ca.centre,
                year=ca.year,
                points=capacity_form.points(),
                expected_stamp=capacity_form.cleaned_data["stamp"],
                user=request.user,
            )
        except services.StaleCapacities:
            capacity_form.add_error(
                None,
                _(
                    "Someone else saved capacities for this year while you were editing them. Nothing of "
                    "yours was saved. Reload the page to see theirs, then make your change again."
                ),
            )
        except services.CapacityRefused as refused:
            capacity_form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("The capacities were saved (%(count)s changed).") % {"count": changed}
                if changed
                else _("No capacity was changed."),
            )
            return redirect("centre:capacity", centre=ca.centre.slug, year=ca.year)
    elif part == "weights" and weights_form.is_valid():
        try:
            services.weights_set(
                centre=ca.centre,
                weights=weights_form.weights(),
                expected_version=weights_form.cleaned_data["version"],
                user=request.user,
            )
        except services.StaleSettings as stale:
            refuse_stale(
                weights_form,
                stale.current.version,
                _(
                    "Someone else changed the weights while you were editing them. Nothing of yours was "
                    "saved. The weights now are: %(weights)s. Save again to replace them with yours."
                )
                % {"weights": _weights_text(Weights.of(stale.current))},
            )
        else:
            messages.success(request, _("The weights were saved."))
            return redirect("centre:capacity", centre=ca.centre.slug, year=ca.year)
    unknown = request.method == "POST" and part not in ("capacity", "weights")
    if unknown:
        messages.error(request, _("The form came without saying what it saves. Nothing was saved."))
    bad = unknown or capacity_form.errors or weights_form.errors
    context = {
        "ca": ca,
        "desk_page": "capacity",
        "capacity_form": capacity_form,
        "weights_form": weights_form,
        "quarters": QUARTERS,
    }
    return render(request, "plans/centre/capacity_edit.html", context, status=400 if bad else 200)


def _weights_text(weights: Weights) -> str:
    labels = {
        "strategic": _("strategic"),
        "leverage": _("leverage"),
        "bottleneck": _("bottleneck"),
        "routine": _("routine"),
        "direct_award": _("direct award"),
    }
    return ", ".join(f"{labels[name]} {points_text(getattr(weights, name))}" for name in Weights.NAMES)
