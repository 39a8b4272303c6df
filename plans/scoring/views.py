"""The rubric page: plan administrators preview a change to the rubric, then save it and rescore."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plans.models import Rubric
from plans.register.access import plan_access
from plans.register.fields import refuse_stale
from plans.scoring import services
from plans.scoring.forms import RubricForm
from plans.scoring.rules import Quadrant


@require_http_methods(["GET", "POST"])
def rubric_edit(request, municipality, year):
    """The plan's rubric: plan administrators preview a change, then save it and the plan is rescored."""
    pa = plan_access(request, municipality, year)
    if not pa.can_manage:
        raise PermissionDenied
    rubric = Rubric.objects.select_related("updated_by").get(plan=pa.plan)
    form = RubricForm(request.POST or None, instance=rubric, read_only=not pa.can_edit_rubric)
    preview, conflict = None, None
    if request.method == "POST":
        pa.require(pa.can_edit_rubric)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in Rubric.EDITABLE_FIELDS}
            if "save" in request.POST:
                try:
                    services.rubric_update(
                        plan=pa.plan,
                        values=values,
                        expected_version=form.cleaned_data["version"],
                        user=request.user,
                    )
                except services.RubricLocked:
                    raise PermissionDenied from None
                except services.StaleRubric as stale:
                    conflict = [
                        (form.fields[name].label, getattr(stale.current, name), values[name])
                        for name in Rubric.EDITABLE_FIELDS
                        if getattr(stale.current, name) != values[name]
                    ]
                    refuse_stale(
                        form,
                        stale.current.version,
                        _("Someone else changed the rubric while you were editing it. Nothing was saved."),
                    )
                else:
                    messages.success(request, _("The rubric was saved and the plan rescored."))
                    return redirect(pa.plan)
            else:
                preview = services.rubric_preview(plan=pa.plan, values=values)
    return render(
        request,
        "plans/scoring/rubric.html",
        {
            "plan": pa.plan,
            "pa": pa,
            "form": form,
            "rubric": rubric,
            "preview": preview,
            "conflict": conflict,
            "quadrants": Quadrant.labels,
        },
    )
