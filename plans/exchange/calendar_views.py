"""
A private calendar feed per person: the remiss windows, requirements-freeze dates and planned
advertisements of the plans they may see, for Outlook or Google Calendar to subscribe to.

The feed's address carries a random token instead of a login (calendar clients cannot log in); the
token is the credential, so renewing it makes the old address answer 404.
"""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from plans.exchange import ical
from plans.models import CalendarToken, Plan, Procurement
from plans.scoring.rules import requirements_freeze

UID_DOMAIN = "upphandlingsplan"


@login_required
@require_http_methods(["GET", "POST"])
def calendar_link(request):
    """The user's private link; a POST creates it, or renews it (the old link stops working)."""
    if request.method == "POST":
        renewing = CalendarToken.objects.filter(user=request.user).exists()
        CalendarToken.objects.update_or_create(
            user=request.user, defaults={"token": secrets.token_urlsafe(32)}
        )
        if renewing:
            messages.success(request, _("Your calendar link was renewed. The old link no longer works."))
        else:
            messages.success(request, _("Your calendar link was created."))
        return redirect("plans:calendar_link")
    token = CalendarToken.objects.filter(user=request.user).first()
    feed_url = webcal_url = None
    if token is not None:
        feed_url = settings.SITE_URL + reverse("plans:calendar_feed", kwargs={"token": token.token})
        webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render(
        request,
        "plans/exchange/calendar_link.html",
        {"token": token, "feed_url": feed_url, "webcal_url": webcal_url},
    )


@require_GET
def calendar_feed(request, token):
    """The iCalendar feed of the token's owner; 404 for a token that is unknown or renewed."""
    owner = CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if owner is None:
        raise Http404
    today = timezone.localdate()
    body = ical.calendar(plan_events(owner.user, today), name=_("Procurement plans"), stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="upphandlingsplan.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["Referrer-Policy"] = "no-referrer"
    return response


def plan_events(user, today):
    """Per plan of this year or later that the user may see: the remiss window, then per procurement
    the requirements-freeze date (strategic ones) and the planned advertisement. Two queries."""
    plans = {
        plan.pk: plan
        for plan in Plan.objects.visible_to(user)
        .filter(year__gte=today.year)
        .select_related("municipality", "rubric")
        .order_by("municipality__name", "year")
    }
    rubrics = {pk: _rubric_values(plan) for pk, plan in plans.items()}
    events = []
    for plan in plans.values():
        events.append(
            ical.Event(
                uid=f"remiss-{plan.pk}@{UID_DOMAIN}",
                summary=_("Remiss: procurement plan %(year)s, %(municipality)s")
                % {"year": plan.year, "municipality": plan.municipality.name},
                start=plan.remiss_starts,
                last_day=plan.remiss_ends,
                url=settings.SITE_URL + plan.get_absolute_url(),
                categories=_("Remiss"),
            )
        )
    procurements = (
        Procurement.objects.filter(plan_id__in=plans)
        .select_related("department")
        .only("pk", "plan_id", "ref", "title", "strategic", "planned_advertisement", "department__name")
        .order_by("planned_advertisement", "ref")
    )
    for procurement in procurements:
        plan = procurement.plan = plans[procurement.plan_id]
        url = settings.SITE_URL + procurement.get_absolute_url()
        names = {
            "ref": procurement.ref,
            "title": procurement.title,
            "municipality": plan.municipality.name,
        }
        description = f"{plan.municipality.name} · {procurement.department.name}"
        freeze = requirements_freeze(procurement.planned_advertisement, rubrics[plan.pk])
        if procurement.strategic and freeze is not None:
            events.append(
                ical.Event(
                    uid=f"freeze-{procurement.pk}@{UID_DOMAIN}",
                    summary=_("Requirements freeze: %(ref)s %(title)s (%(municipality)s)") % names,
                    start=freeze,
                    description=description,
                    url=url,
                    categories=_("Requirements freeze"),
                )
            )
        events.append(
            ical.Event(
                uid=f"advertisement-{procurement.pk}@{UID_DOMAIN}",
                summary=_("Planned advertisement: %(ref)s %(title)s (%(municipality)s)") % names,
                start=procurement.planned_advertisement,
                description=description,
                url=url,
                categories=_("Planned advertisement"),
            )
        )
    return events


def _rubric_values(plan):
    try:
        return plan.rubric.values()
    except Plan.rubric.RelatedObjectDoesNotExist:
        return plan.rubric_values
