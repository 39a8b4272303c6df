"""The coordination page (issue 16): the settings in use, the year's coordinated procurements and the
rule's suggestions, for the centre's staff (plans.centre.access).

The officers act: a suggestion becomes a coordinated procurement, a procurement joins one, a member leaves,
a group is dissolved. The plan administrators read, and save the settings. Every step is a POST that
redirects back with a message (no JavaScript needed); leaving and dissolving are confirmed on a page of
their own. A refused or stale step says why and changes nothing; bad input is shown beside its field.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from plans.centre import coordination as services
from plans.centre.access import CentreAccess, centre_access
from plans.centre.coordination import CoordinationRefused, StaleGroup, StaleSettings
from plans.centre.coordination_forms import (
    CreateForm,
    GroupStepForm,
    JoinForm,
    SettingsForm,
    TryForm,
    is_id,
)
from plans.centre.coordination_page import RowReader, active_groups, suggestion_page
from plans.models import CoordinationGroup
from plans.register.fields import MISSING_VERSION

# The query-string keys the page keeps across a step: the values tried and the page of suggestions.
KEPT = ("cpv_digits", "months", "page")


def _kept(data) -> dict:
    """The values tried and the page, from a GET or from a step's hidden fields: whole numbers only."""

    def whole(value) -> bool:  # ASCII digits only ("²" is a digit to str.isdigit, not to int())
        text = str(value if value is not None else "")
        return text.isascii() and text.isdigit() and len(text) <= 6

    return {key: data[key] for key in KEPT if whole(data.get(key))}


def _page_url(ca: CentreAccess, data=None, anchor: str = "") -> str:
    url = reverse("centre:coordination", kwargs={"centre": ca.centre.slug, "year": ca.year})
    query = urlencode(_kept(data or {}))
    return f"{url}{'?' + query if query else ''}{anchor}"


def _render(request, ca: CentreAccess, *, status=200, query=None, settings_form=None, redo=None):
    """The page; query: the GET (or a step's hidden fields); redo: a create or join form with errors,
    shown by its suggestion (_redo)."""
    query = query if query is not None else request.GET
    settings = ca.settings
    in_use = {"cpv_digits": settings.coordination_cpv_digits, "months": settings.coordination_months}
    tried = {key: query.get(key, "") for key in in_use}
    # Unasked, the form shows the centre's settings; asked, what was asked (with its errors).
    try_form = TryForm(tried) if any(tried.values()) else TryForm(initial=in_use)
    # A value that cannot be used gives way to the setting, and says so beside its field.
    options = try_form.values(in_use)
    reader = RowReader(ca)
    groups = active_groups(ca, reader)
    page, count = suggestion_page(ca, reader, groups, query.get("page"), **options)
    if redo and redo["anchor"] not in {shown.anchor for shown in page.object_list}:
        # The suggestion is gone meanwhile (or is on another page): the errors at the top instead.
        for error in [*redo["errors"], *redo["title_errors"]]:
            messages.error(request, error)
    if settings_form is None and ca.can_set_capacity:
        settings_form = SettingsForm(
            initial={
                "cpv_digits": settings.coordination_cpv_digits,
                "months": settings.coordination_months,
                "version": settings.version,
            }
        )
    context = {
        "ca": ca,
        "desk_page": "coordination",
        "try_form": try_form,
        "settings_form": settings_form,
        "cpv_digits": options["cpv_digits"],
        "months": options["months"],
        "trying": options != in_use,
        "groups": groups,
        "page": page,
        "suggestion_count": count,
        "kept": _kept(query),
        "redo": redo,
    }
    return render(request, "plans/centre/coordination.html", context, status=status)


def _number(value) -> int | None:
    return int(value) if is_id(value) else None


def _redo(form) -> dict:
    """A create or join form with errors, as the suggestion it came from shows it again: what was ticked
    and typed, the title's errors beside the title, the others above the table."""
    data = form.data
    return {
        "anchor": _number(data.get("suggestion")),
        "ticked": {number for number in map(_number, data.getlist("procurement")) if number is not None},
        "lead": _number(data.get("lead")),
        "title": data.get("title", ""),
        "title_errors": [str(error) for error in form.errors.get("title", [])],
        "errors": [str(error) for name, errors in form.errors.items() if name != "title" for error in errors],
    }


@require_safe
def coordination(request, centre, year):
    """The settings in use, the active groups of the year and the suggestions."""
    return _render(request, centre_access(request, centre, year))


@require_POST
def coordination_settings(request, centre, year):
    """Plan administrators save what counts as a candidate (versioned)."""
    ca = centre_access(request, centre, year)
    ca.require(ca.can_set_capacity)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return _render(request, ca, status=400, settings_form=form)
    try:
        services.settings_set(
            centre=ca.centre,
            cpv_digits=form.cleaned_data["cpv_digits"],
            months=form.cleaned_data["months"],
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
    except StaleSettings as stale:
        messages.error(
            request,
            _(
                "Someone else saved the centre's settings after this page was loaded: now %(digits)s CPV "
                "digits and %(months)s months. Nothing was saved: check them and save again."
            )
            % {"digits": stale.current.coordination_cpv_digits, "months": stale.current.coordination_months},
        )
    else:
        messages.success(request, _("The coordination settings were saved."))
    return redirect(_page_url(ca, anchor="#settings"))


def _officer(request, centre, year) -> CentreAccess:
    ca = centre_access(request, centre, year)
    ca.require(ca.can_coordinate)
    return ca


def _group(ca: CentreAccess, pk: int) -> CoordinationGroup:
    return get_object_or_404(CoordinationGroup, pk=pk, centre=ca.centre, year=ca.year)


def _stale_message() -> str:
    return _(
        "Someone else changed this coordinated procurement after the page was loaded. Nothing was changed: "
        "check it below and try again."
    )


@require_POST
def coordination_create(request, centre, year):
    """A suggestion's ticked procurements become a coordinated procurement."""
    ca = _officer(request, centre, year)
    form = CreateForm(request.POST)
    if not form.is_valid():
        return _render(request, ca, status=400, query=request.POST, redo=_redo(form))
    try:
        group = services.group_create(
            centre=ca.centre,
            year=ca.year,
            procurements=form.cleaned_data["procurement"],
            lead=form.cleaned_data["lead"],
            user=request.user,
            title=form.cleaned_data["title"],
        )
    except CoordinationRefused as refused:
        messages.error(request, refused.message)
        return redirect(_page_url(ca, request.POST, "#suggestions"))
    messages.success(request, _("“%(title)s” is now a coordinated procurement.") % {"title": group.title})
    return redirect(_page_url(ca, request.POST, f"#group-{group.pk}"))


@require_POST
def coordination_join(request, centre, year, group):
    """A join suggestion's ticked procurements join the group, all or none."""
    ca = _officer(request, centre, year)
    found = _group(ca, group)
    form = JoinForm(request.POST)
    if not form.is_valid():
        return _render(request, ca, status=400, query=request.POST, redo=_redo(form))
    try:
        with transaction.atomic():
            version = form.cleaned_data["version"]
            for procurement in form.cleaned_data["procurement"]:
                found = services.group_join(
                    group=found, procurement=procurement, user=request.user, expected_version=version
                )
                version = found.version
    except CoordinationRefused as refused:
        messages.error(request, refused.message)
        return redirect(_page_url(ca, request.POST, "#suggestions"))
    except StaleGroup:
        messages.error(request, _stale_message())
        return redirect(_page_url(ca, request.POST, f"#group-{group}"))
    messages.success(request, _("Joined “%(title)s”.") % {"title": found.title})
    return redirect(_page_url(ca, request.POST, f"#group-{found.pk}"))


@require_http_methods(["GET", "POST"])
def coordination_leave(request, centre, year, group, procurement):
    """Confirm, then a member leaves the group (the lead passes on; fewer than two: dissolved)."""
    ca = _officer(request, centre, year)
    found = _group(ca, group)
    member = found.members.select_related("plan__municipality").filter(pk=procurement).first()
    if request.method == "GET" or member is None:
        if member is None:
            messages.error(request, _("The procurement is no longer in this coordinated procurement."))
            return redirect(_page_url(ca, request.GET, "#groups"))
        return _confirm(request, ca, found, member)
    form = GroupStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, MISSING_VERSION)
        return redirect(_page_url(ca, request.POST, "#groups"))
    try:
        result = services.group_leave(
            group=found, procurement=member, user=request.user, expected_version=form.cleaned_data["version"]
        )
    except CoordinationRefused as refused:
        messages.error(request, refused.message)
    except StaleGroup:
        messages.error(request, _stale_message())
    else:
        messages.success(
            request,
            _("%(ref)s of %(municipality)s left “%(title)s”.")
            % {"ref": member.ref, "municipality": member.plan.municipality.name, "title": result.title}
            + (
                ""
                if result.is_active
                else " " + _("Fewer than two municipalities remained: it was dissolved.")
            ),
        )
    return redirect(_page_url(ca, request.POST, "#groups"))


@require_http_methods(["GET", "POST"])
def coordination_dissolve(request, centre, year, group):
    """Confirm, then the group ends: every member is on its own again."""
    ca = _officer(request, centre, year)
    found = _group(ca, group)
    if not found.is_active:
        messages.error(request, _("The coordinated procurement has been dissolved."))
        return redirect(_page_url(ca, request.GET, "#groups"))
    if request.method == "GET":
        return _confirm(request, ca, found, None)
    form = GroupStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, MISSING_VERSION)
        return redirect(_page_url(ca, request.POST, "#groups"))
    try:
        services.group_dissolve(group=found, user=request.user, expected_version=form.cleaned_data["version"])
    except CoordinationRefused as refused:
        messages.error(request, refused.message)
    except StaleGroup:
        messages.error(request, _stale_message())
    else:
        messages.success(request, _("“%(title)s” was dissolved.") % {"title": found.title})
    return redirect(_page_url(ca, request.POST, "#groups"))


def _confirm(request, ca: CentreAccess, group: CoordinationGroup, member):
    """The page that asks before a member leaves (member) or the group is dissolved (None)."""
    members = list(group.members.select_related("plan__municipality").order_by("plan__municipality__name"))
    remaining = [other for other in members if member is None or other.pk != member.pk]
    next_lead = None
    if member is not None and member.pk == group.lead_id and len(remaining) >= 2:
        next_lead = min(remaining, key=lambda other: (other.planned_advertisement, other.pk))
    context = {
        "ca": ca,
        "desk_page": "coordination",
        "group": group,
        "member": member,
        "members": members,
        "dissolves": member is None or len({other.plan.municipality_id for other in remaining}) < 2,
        "next_lead": next_lead,
        "kept": _kept(request.GET),
        "back": _page_url(ca, request.GET, f"#group-{group.pk}"),
    }
    return render(request, "plans/centre/coordination_confirm.html", context)
