"""The remiss summary for the procurement board (remissammanställning): a printable page and an XLSX."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.permissions import can_view_review
from plans.models import Procurement
from plans.register.access import PlanAccess, plan_access
from plans.remiss.review import changes_since_snapshot, procurements_with_activity
from plans.remiss.summary import Summary, summary_xlsx
from plans.remiss.summary import remiss_summary as build_summary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _summary_access(request, municipality, year) -> PlanAccess:
    """Those who may not see the plan get its 404; of those who may, the review is for members."""
    pa = plan_access(request, municipality, year)
    if not can_view_review(pa.access, municipality_id=pa.plan.municipality_id):
        raise PermissionDenied
    return pa


def _summary(pa: PlanAccess) -> Summary:
    """A fixed number of queries however many procurements the plan has."""
    plan = pa.plan
    procurements = list(procurements_with_activity(plan=plan).prefetch_related("confirmations__user"))
    snapshot, changes = changes_since_snapshot(plan)
    listed = {procurement.ref for procurement in procurements}
    elsewhere = (set(changes.changed) | set(changes.added)) - listed
    # Empty: Django answers ref__in=[] without asking the database.
    changed_elsewhere = Procurement.objects.filter(plan=plan, ref__in=sorted(elsewhere)).select_related(
        "department"
    )
    return build_summary(
        procurements=procurements,
        changed_elsewhere=list(changed_elsewhere),
        snapshot_data=snapshot.data if snapshot else {},
        changes=changes,
        snapshot_taken=snapshot.taken_at if snapshot else None,
        disclosure=pa.disclosure,
    )


@require_safe
def remiss_summary(request, municipality, year):
    pa = _summary_access(request, municipality, year)
    return render(
        request,
        "plans/remiss/remiss_summary.html",
        {"plan": pa.plan, "pa": pa, "summary": _summary(pa), "printed_on": timezone.localdate()},
    )


@require_safe
def remiss_summary_xlsx(request, municipality, year):
    pa = _summary_access(request, municipality, year)
    response = HttpResponse(summary_xlsx(_summary(pa)), content_type=XLSX)
    filename = f"remissammanstallning-{pa.plan.municipality.slug}-{pa.plan.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
