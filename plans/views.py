import copy

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.permissions import access_of

from . import services
from .access import plan_access, procurement_for
from .filters import ProcurementFilter
from .forms import ProcurementForm
from .models import Plan
from .tables import ProcurementTable


def home(request):
    """The start page: every plan the user may see, with its phase, grouped by municipality."""
    plans = (
        Plan.objects.visible_to(request.user)
        .select_related("municipality")
        .annotate(procurement_count=Count("procurements"))
        .order_by("municipality__name", "-year")
    )
    rows = [(plan, plan.phase_status()) for plan in plans]
    return render(request, "plans/home.html", {"rows": rows, "access": access_of(request.user)})


class PlanView(SingleTableMixin, FilterView):
    """The plan: its procurements in a sortable, filterable table, 50 a page."""

    template_name = "plans/plan.html"
    table_class = ProcurementTable
    filterset_class = ProcurementFilter

    def dispatch(self, request, *args, **kwargs):
        self.plan_access = plan_access(request, kwargs["municipality"], kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get_table_pagination(self, table):
        return {"per_page": settings.PLAN_PAGE_SIZE}

    def get_queryset(self):
        return self.plan_access.plan.procurements.with_related().with_shown_value(
            show_confidential=self.plan_access.can_view_confidential
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["plan"] = self.plan_access.plan
        return kwargs

    def get(self, request, *args, **kwargs):
        filterset_class = self.get_filterset_class()
        self.filterset = self.get_filterset(filterset_class)
        if self.filterset.is_bound and not self.filterset.is_valid():
            # An unknown or malformed filter value is named and ignored; the rest of the filters apply.
            data = request.GET.copy()
            for name in self.filterset.errors:
                field = self.filterset.form.fields.get(name)
                label = field.label if field else name
                messages.warning(
                    request,
                    _("The filter “%(filter)s” had a value that cannot be used; it was ignored.")
                    % {"filter": label},
                )
                data.pop(name, None)
            kwargs = self.get_filterset_kwargs(filterset_class)
            kwargs["data"] = data
            self.filterset = filterset_class(**kwargs)
            self.filterset.is_valid()
        self.object_list = self.filterset.qs
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            plan=self.plan_access.plan,
            pa=self.plan_access,
            total_count=self.plan_access.plan.procurements.count(),
            filtered=any(value for key, value in self.request.GET.items() if key not in {"sort", "page"}),
        )
        return context


def procurement_detail(request, municipality, year, ref):
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    return render(request, "plans/procurement.html", {"plan": pa.plan, "pa": pa, "procurement": procurement})


@require_http_methods(["GET", "POST"])
def procurement_create(request, municipality, year):
    pa = plan_access(request, municipality, year)
    pa.require_edit()
    form = ProcurementForm(request.POST or None, plan=pa.plan)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        procurement = services.procurement_create(plan=pa.plan, data=data, user=request.user)
        messages.success(request, _("%(ref)s was added to the plan.") % {"ref": procurement.ref})
        return redirect(procurement)
    return render(
        request, "plans/procurement_form.html", {"plan": pa.plan, "pa": pa, "form": form, "creating": True}
    )


@require_http_methods(["GET", "POST"])
def procurement_edit(request, municipality, year, ref):
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    pa.require_edit()
    # The form edits a copy, so the page's links keep the saved ref while the form shows a bad one.
    form = ProcurementForm(request.POST or None, instance=copy.copy(procurement), plan=pa.plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            saved = services.procurement_update(
                procurement=procurement,
                data=data,
                expected_version=form.cleaned_data.get("version") or 0,
                user=request.user,
            )
        except services.StaleEdit as stale:
            conflict = _conflicting_fields(form, stale.current, data)
            # The form keeps what this editor typed; saving again now knowingly replaces the other version.
            form.data = form.data.copy()
            form.data["version"] = stale.current.version
            form.add_error(
                None,
                _(
                    "Someone else saved this procurement while you were editing it. "
                    "Nothing of yours was saved. "
                    "Compare the two versions below; save again to replace theirs with yours."
                ),
            )
        else:
            messages.success(request, _("Your changes to %(ref)s were saved.") % {"ref": saved.ref})
            return redirect(saved)
    return render(
        request,
        "plans/procurement_form.html",
        {"plan": pa.plan, "pa": pa, "form": form, "procurement": procurement, "conflict": conflict},
    )


def _conflicting_fields(form, current, mine):
    """The fields where the saved version and the editor's version differ, as (label, theirs, yours)."""
    rows = []
    for name, value in mine.items():
        theirs = getattr(current, name)
        if theirs != value:
            rows.append((form.fields[name].label, theirs, value))
    return rows


@require_http_methods(["GET", "POST"])
def procurement_delete(request, municipality, year, ref):
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    pa.require_edit()
    if request.method == "POST":
        services.procurement_delete(procurement=procurement, user=request.user)
        messages.success(request, _("%(ref)s was removed from the plan.") % {"ref": ref})
        return redirect(pa.plan)
    return render(
        request, "plans/procurement_delete.html", {"plan": pa.plan, "pa": pa, "procurement": procurement}
    )
