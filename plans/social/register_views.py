"""The centre's register of social enterprises (issue 18): /social/<centre>/enterprises/.

Read by everyone plans.social.access lets in (the centre's staff, the coordinators of its municipalities,
their politicians and department representatives: the names of the enterprises are public, and the
departments look there for what the enterprises offer). Kept by the centre's staff and the coordinators
(SocialAccess.can_edit): adding, editing, removing, importing. Everyone else: 403; another centre's
enterprise: 404.
"""

import copy

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from plans.centre import cpv
from plans.exchange.reading import ImportRefused
from plans.models import Category
from plans.register.fields import refuse_stale
from plans.social import register_exchange, register_services
from plans.social.access import social_access
from plans.social.register_filters import EnterpriseFilter
from plans.social.register_forms import DUPLICATE_ORG_NUMBER, EnterpriseDeleteForm, EnterpriseForm

STALE_EDIT = gettext_lazy(
    "Someone else saved this enterprise while you were editing it. Nothing of yours was saved. "
    "Check the enterprise below; save again to replace theirs with yours."
)
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@require_safe
def enterprise_list(request, centre):
    """Every enterprise of the centre's register, filtered, with how many there are and the people they
    can take in a year together."""
    sa = social_access(request, centre)
    municipalities = list(sa.centre.municipalities.order_by("name"))
    enterprises = register_services.centre_enterprises(sa.centre)
    filterset = EnterpriseFilter(request.GET or None, queryset=enterprises, municipalities=municipalities)
    bad_filter = filterset.is_bound and not filterset.is_valid()
    shown = enterprises if bad_filter or not filterset.is_bound else filterset.qs
    rows = list(shown)
    category_names = dict(Category.choices)
    for enterprise in rows:
        enterprise.cpv_list = [(code, cpv.label(code)) for code in enterprise.cpv_codes or ()]
        enterprise.category_list = [category_names.get(code, code) for code in enterprise.categories or ()]
    context = {
        "sa": sa,
        "centre": sa.centre,
        "filter": filterset,
        "enterprises": rows,
        "capacity": sum(enterprise.capacity or 0 for enterprise in rows),
        "total_count": enterprises.count() if filterset.is_bound else len(rows),
        "filtered": filterset.is_bound and any(value for value in request.GET.values()),
    }
    return render(request, "plans/social/enterprises.html", context, status=400 if bad_filter else 200)


def _list(sa):
    return redirect("social:enterprises", centre=sa.centre.slug)


def _enterprise(sa, pk):
    """The centre's enterprise pk: another centre's is not found."""
    return get_object_or_404(register_services.centre_enterprises(sa.centre), pk=pk)


@require_http_methods(["GET", "POST"])
def enterprise_create(request, centre):
    sa = social_access(request, centre)
    sa.require(sa.can_edit)
    form = EnterpriseForm(request.POST or None, centre=sa.centre)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            enterprise = register_services.enterprise_create(centre=sa.centre, data=data, user=request.user)
        except register_services.DuplicateOrgNumber:
            form.add_error("org_number", DUPLICATE_ORG_NUMBER)
        else:
            messages.success(request, _("“%(name)s” was added to the register.") % {"name": enterprise.name})
            return _list(sa)
    context = {"sa": sa, "centre": sa.centre, "form": form, "creating": True}
    return render(request, "plans/social/enterprise_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def enterprise_edit(request, centre, pk):
    sa = social_access(request, centre)
    sa.require(sa.can_edit)
    enterprise = _enterprise(sa, pk)
    # The form edits a copy, so that the heading keeps the saved name while the form shows a bad one.
    form = EnterpriseForm(request.POST or None, instance=copy.copy(enterprise), centre=sa.centre)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            saved = register_services.enterprise_update(
                enterprise=enterprise,
                data=data,
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except register_services.StaleEnterprise as stale:
            if stale.current is None:
                messages.error(request, _("Someone else removed this enterprise. Nothing was saved."))
                return _list(sa)
            refuse_stale(form, stale.current.version, STALE_EDIT)
        except register_services.DuplicateOrgNumber:
            form.add_error("org_number", DUPLICATE_ORG_NUMBER)
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": saved.name})
            return _list(sa)
    context = {"sa": sa, "centre": sa.centre, "form": form, "enterprise": enterprise}
    return render(request, "plans/social/enterprise_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def enterprise_delete(request, centre, pk):
    """Removing an enterprise asks first. Was it edited since the question was asked, nothing is removed
    and the question is asked again."""
    sa = social_access(request, centre)
    sa.require(sa.can_edit)
    enterprise = _enterprise(sa, pk)
    status, problem = 200, None
    if request.method == "POST":
        form = EnterpriseDeleteForm(request.POST)
        if form.is_valid():
            try:
                register_services.enterprise_delete(
                    enterprise=enterprise, expected_version=form.cleaned_data["version"]
                )
            except register_services.StaleEnterprise as stale:
                if stale.current is None:
                    messages.info(request, _("Someone else removed this enterprise already."))
                    return _list(sa)
                problem = _(
                    "Someone else changed this enterprise since you asked to remove it. Nothing was removed."
                )
                enterprise = stale.current
            else:
                messages.success(
                    request, _("“%(name)s” was removed from the register.") % {"name": enterprise.name}
                )
                return _list(sa)
        else:
            problem = _("The form came without what it was built from. Nothing was removed: confirm again.")
        status = 400
    form = EnterpriseDeleteForm(initial={"version": enterprise.version})
    context = {"sa": sa, "centre": sa.centre, "enterprise": enterprise, "form": form, "problem": problem}
    return render(request, "plans/social/enterprise_delete.html", context, status=status)


class EnterpriseImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "Excel (.xlsx) or CSV in UTF-8 with comma or semicolon; Swedish or English headers."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > register_exchange.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": register_exchange.MAX_BYTES // 1_048_576}
            )
        if not upload.name.lower().endswith((".xlsx", ".xlsm", ".csv", ".txt")):
            raise forms.ValidationError(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
        return upload


@require_http_methods(["GET", "POST"])
def enterprise_import(request, centre):
    """The register from a spreadsheet, all or nothing; GET ?template=xlsx downloads the template."""
    sa = social_access(request, centre)
    sa.require(sa.can_edit)
    if request.method == "GET" and request.GET.get("template") == "xlsx":
        response = HttpResponse(
            register_exchange.template_xlsx(centre=sa.centre), content_type=CONTENT_TYPES["xlsx"]
        )
        response["Content-Disposition"] = 'attachment; filename="sociala-foretag-mall.xlsx"'
        return response
    form = EnterpriseImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = register_exchange.enterprises_import(
                centre=sa.centre, filename=upload.name, content=upload.read(), user=request.user
            )
        except ImportRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            if result.ok:
                return _imported(request, sa, result)
    bad = bool(form.errors or (result and result.errors))
    context = {
        "sa": sa,
        "centre": sa.centre,
        "form": form,
        "result": result,
        "max_rows": register_exchange.MAX_ROWS,
        "columns": register_exchange.COLUMNS,
    }
    return render(request, "plans/social/enterprise_import.html", context, status=400 if bad else 200)


def _imported(request, sa, result):
    added = ngettext("%(count)d enterprise added", "%(count)d enterprises added", result.added) % {
        "count": result.added
    }
    updated = ngettext("%(count)d updated", "%(count)d updated", result.updated) % {"count": result.updated}
    messages.success(
        request,
        _("The register was imported: %(added)s, %(updated)s.") % {"added": added, "updated": updated},
    )
    if result.unknown:
        messages.info(request, _("Columns ignored: %(columns)s.") % {"columns": ", ".join(result.unknown)})
    return _list(sa)


@require_safe
def enterprises_export(request, centre, extension):
    """The whole register as XLSX or CSV, with the import's Swedish headers: it imports back unchanged."""
    sa = social_access(request, centre)
    if extension not in CONTENT_TYPES:
        raise Http404
    content = register_exchange.export_file(register_services.centre_enterprises(sa.centre), fmt=extension)
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="sociala-foretag-{sa.centre.slug}.{extension}"'
    return response
