"""The plan's files: downloads (XLSX, CSV, OCDS), the import template, importing a file; and the open
data's publication policy (/oppna-data/)."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Municipality, ProcurementCentre
from plans.exchange import ocds, tasks
from plans.exchange.exports import export_plan_file
from plans.exchange.forms import ImportForm
from plans.exchange.imports import ImportResult, preview_changes
from plans.exchange.template import template_xlsx
from plans.models import ImportJob, Plan, Procurement
from plans.register.access import plan_access
from plans.register.filters import apply_filters

FORMATS = {"xlsx": "xlsx", "csv": "csv", "json": "ocds"}


def plan_export(request, municipality, year, extension):
    """The plan as a download, honouring the page's filters; confidential values only for the centre."""
    if extension not in FORMATS:
        raise Http404
    pa = plan_access(request, municipality, year)
    queryset = pa.disclosure.with_shown_value(pa.plan.procurements.all())
    filterset, _ignored = apply_filters(request.GET, queryset=queryset, plan=pa.plan)
    language = (
        request.GET.get("lang") if request.GET.get("lang") in ("sv", "en") else translation.get_language()
    )
    content, content_type, extension = export_plan_file(
        plan=pa.plan,
        procurements=filterset.qs,
        fmt=FORMATS[extension],
        language="en" if language.startswith("en") else "sv",
        disclosure=pa.disclosure,
        now=timezone.now(),
        outcomes=request.GET.get("outcomes") == "1",
        reader=pa.access,
        # The officers' addresses: for the municipality's members, and the public where the plan names them.
        officer_emails=pa.municipality_id in pa.access.member_municipalities or pa.plan.show_officer_email,
        query=request.GET.urlencode(),
    )
    response = HttpResponse(content, content_type=content_type)
    filename = f"upphandlingsplan-{pa.plan.municipality.slug}-{pa.plan.year}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def open_data(request):
    """What the OCDS data holds and leaves out, its licence, identifiers, updates, addresses and whom to
    ask: the page every package's publicationPolicy points to (by default). Public, no login."""
    plan = Plan(municipality=Municipality(slug="falun"), year=2027)
    context = {
        "licence": settings.OCDS_LICENSE,
        "ocid_prefix": settings.OCDS_OCID_PREFIX,
        # Made by the export's own rule, so the page cannot say otherwise.
        "ref_with_year": "2027-001",
        "ocid_with_year": ocds.ocid(plan, Procurement(plan=plan, ref="2027-001")),
        "ref_without_year": "14",
        "ocid_without_year": ocds.ocid(plan, Procurement(plan=plan, ref="14")),
        "site_url": settings.SITE_URL,
        "publisher": settings.OCDS_PUBLISHER_NAME,
        "contact_email": settings.OCDS_CONTACT_EMAIL,
        "centres": [] if settings.OCDS_CONTACT_EMAIL else ProcurementCentre.objects.order_by("name"),
    }
    return render(request, "plans/exchange/open_data.html", context)


def import_template(request, municipality, year):
    """An empty XLSX with the headers (and the municipality's departments), to fill in and import.

    It is offered on the import page, so it goes to those who may import: officers, until adoption.
    """
    pa = plan_access(request, municipality, year)
    pa.require_edit()
    response = HttpResponse(
        template_xlsx(plan=pa.plan, language="en" if translation.get_language().startswith("en") else "sv"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="upphandlingsplan-mall.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def import_start(request, municipality, year):
    """Upload a file: it is checked in the background and shown as a preview to confirm."""
    pa = plan_access(request, municipality, year)
    pa.require_edit()
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            plan=pa.plan,
            user=request.user,
            file=upload,
            filename=upload.name[:200],
            create_departments=form.cleaned_data["create_departments"],
        )
        transaction.on_commit(lambda: tasks.check_import.delay(job.pk))
        return redirect(job)
    jobs = pa.plan.imports.select_related("user")[:10]
    return render(
        request, "plans/exchange/import.html", {"plan": pa.plan, "pa": pa, "form": form, "jobs": jobs}
    )


def import_job(request, municipality, year, job):
    """One upload: its progress while it is checked or imported, then the preview or the outcome."""
    pa = plan_access(request, municipality, year)
    pa.require_edit()
    job = get_object_or_404(ImportJob.objects.select_related("user"), plan=pa.plan, pk=job)
    context = {
        "plan": pa.plan,
        "pa": pa,
        "job": job,
        "progress": _progress(job),
        "result": job.result,
        # What each update changes, old → new, as this viewer may read it.
        "changes": preview_changes(ImportResult.from_dict(job.result or {}), pa.disclosure),
    }
    if request.htmx:
        return render(request, "plans/exchange/includes/import_status.html", context)
    return render(request, "plans/exchange/import_job.html", context)


@require_POST
def import_confirm(request, municipality, year, job):
    pa = plan_access(request, municipality, year)
    pa.require_edit()
    job = get_object_or_404(ImportJob, plan=pa.plan, pk=job)
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
        status=ImportJob.Status.IMPORTING
    )
    if updated:
        transaction.on_commit(lambda: tasks.apply_import.delay(job.pk))
    else:
        messages.warning(request, _("This file is not waiting for confirmation."))
    return redirect(job)


def _progress(job):
    if not job.busy:
        return None
    try:
        state = cache.get(job.progress_key)
    except Exception:  # the cache (Redis) is down: the page still answers, without the count
        state = None
    state = state or {"done": 0, "total": job.result.get("total", 0)}
    total = state["total"] or 0
    return {
        "done": state["done"],
        "total": total,
        "percent": round(100 * state["done"] / total) if total else 0,
    }
