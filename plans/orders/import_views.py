"""Orders by spreadsheet (issue 14): a department representative uploads their department's orders.

Who: a department representative of the plan's municipality, for their own departments, while the order
window is open (accounts.permissions.can_place_order, through plans.orders.access as the order form).
Outside the window the page says so and takes no file; an adopted plan takes no orders (403). Officers
take orders in through the queue; they do not upload a department's orders (an order is the
department's word, placed by the department). Everyone else who may see the plan gets 403; who may not,
404 or the login page (plan_access).

GET ?template=xlsx or ?template=csv downloads the headers to fill in (the XLSX with what each column
accepts, the departments and the municipality's goals).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from plans.exchange.reading import ImportRefused
from plans.orders import imports
from plans.orders.access import order_access

TEMPLATE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class OrderImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "Excel (.xlsx) or CSV in UTF-8 with comma or semicolon; Swedish or English headers."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": imports.MAX_BYTES // 1_048_576}
            )
        if not upload.name.lower().endswith((".xlsx", ".xlsm", ".csv", ".txt")):
            raise forms.ValidationError(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
        return upload


def _language() -> str:
    return "en" if translation.get_language().startswith("en") else "sv"


@require_http_methods(["GET", "POST"])
def order_import(request, municipality, year):
    oa = order_access(request, municipality, year)
    oa.pa.require(oa.can_order)  # a representative of a department of the municipality; not adopted
    kind = request.GET.get("template")
    if request.method == "GET" and kind in TEMPLATE_TYPES:
        return _template(oa.plan, oa.own_departments, kind)
    departments = oa.placing_departments
    if request.method == "POST" and not departments:
        raise PermissionDenied  # the order window is closed
    form = OrderImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = imports.orders_import(
                plan=oa.plan,
                departments=departments,
                filename=upload.name,
                content=upload.read(),
                user=request.user,
            )
        except ImportRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            if result.ok:
                return _imported(request, oa.plan, result)
    context = {
        "plan": oa.plan,
        "pa": oa.pa,
        "oa": oa,
        "window": oa.window,
        "form": form,
        "result": result,
        "departments": oa.own_departments,
        "may_order": bool(departments),
        "max_rows": imports.MAX_ROWS,
    }
    return render(request, "plans/orders/import.html", context)


def _imported(request, plan, result):
    count = len(result.orders)
    messages.success(
        request, ngettext("%(count)d order imported.", "%(count)d orders imported.", count) % {"count": count}
    )
    if result.ignored or result.unknown:
        messages.info(
            request,
            _("Columns ignored: %(columns)s.") % {"columns": ", ".join(result.ignored + result.unknown)},
        )
    return redirect(reverse("plans:orders", args=[plan.municipality.slug, plan.year]))


def _template(plan, departments, kind):
    language = _language()
    if kind == "xlsx":
        content = imports.template_xlsx(plan=plan, departments=departments, language=language)
    else:
        content = imports.template_csv(several=len(departments) > 1, language=language)
    response = HttpResponse(content, content_type=TEMPLATE_TYPES[kind])
    name = "bestallningar-mall" if language == "sv" else "orders-template"
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
