"""The contract-expiry radar's one action: add a contract's successor to next year's plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import access_of, can_edit_procurements
from plans.followup import radar
from plans.models import Plan, Procurement
from plans.remiss.phases import Phase


@login_required
@require_POST
def carry_over(request, procurement):
    """Officers of the procurement's municipality carry it over; others get 404 (unseen) or 403 (seen)."""
    source = (
        Procurement.objects.visible_to(request.user)
        .select_related("plan__municipality", "department", "outcome")
        .filter(pk=procurement)
        .first()
    )
    if source is None:
        raise Http404
    today = timezone.localdate()
    end = radar.ending_contract(source, today)
    year = radar.suggested_plan_year(today, end) if end else today.year + 1
    target = Plan.objects.filter(municipality_id=source.plan.municipality_id, year=year).first()
    phase = target.phase_status(today).phase if target else Phase.DRAFT
    if not can_edit_procurements(
        access_of(request.user), municipality_id=source.plan.municipality_id, phase=phase
    ):
        raise PermissionDenied
    try:
        created = radar.procurement_carry_over(procurement=source, today=today, user=request.user)
    except radar.NothingToCarryOver:
        messages.error(
            request,
            _("%(ref)s has no contract that ends today or later; nothing was added.") % {"ref": source.ref},
        )
        return redirect("home")
    except radar.AlreadyPlanned as already:
        messages.info(
            request,
            _("%(title)s is already in the plan for %(year)s as %(ref)s; nothing was added.")
            % {"title": source.title, "year": year, "ref": already.existing.ref},
        )
        return redirect(already.existing)
    messages.success(
        request,
        _("%(title)s was added to the plan for %(year)s as %(ref)s. Check the dates and the estimate.")
        % {"title": created.title, "year": created.plan.year, "ref": created.ref},
    )
    return redirect(
        reverse(
            "plans:procurement_edit",
            kwargs={
                "municipality": created.plan.municipality.slug,
                "year": created.plan.year,
                "ref": created.ref,
            },
        )
    )
