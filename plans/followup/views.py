"""Follow-up: the plan's key figures beside targets and the country, the outcome of each procurement."""

import copy

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import can_read_goals
from plans.followup import charts
from plans.followup.figures import DEFAULT_NATIONAL, FIGURES, TREND_KEYS, compare
from plans.followup.forms import NationalForm, OutcomeForm, TargetsForm
from plans.followup.services import (
    OUTCOME_FIELDS,
    StaleOutcome,
    StaleTargets,
    municipality_trend,
    national_references,
    outcome_save,
    plan_figures,
    plan_targets,
    targets_save,
    targets_version,
)
from plans.goals.progress import goal_progress
from plans.models import NationalReference, Outcome
from plans.register.access import plan_access, procurement_for
from plans.register.fields import refuse_stale
from plans.social.figure_queries import municipality_figures, reserve_centre

TARGET_KEYS = [
    key for key, (_label, unit, _better) in FIGURES.items() if unit == "%" or key == "average_bids"
]


def followup_context(pa):
    plan = pa.plan
    targets = plan_targets(plan)
    national = national_references()
    trend = municipality_trend(plan.municipality, up_to=plan.year, disclosure=pa.disclosure)
    # The trend's last year is this plan: its figures are counted once.
    figures = dict(trend).get(plan.year) or plan_figures(plan, pa.disclosure)
    goals_readable = can_read_goals(pa.access, municipality_id=plan.municipality_id)
    trend_charts = [
        charts.line_chart(
            key,
            str(FIGURES[key][0]),
            FIGURES[key][1],
            [(year, values[key]) for year, values in trend],
            reference=national.get(key, (None, None))[1],
        )
        for key in TREND_KEYS
    ]
    return {
        "plan": plan,
        "pa": pa,
        "rows": compare(figures, targets, national),
        # The municipality's goals, and how far the plan's procurements serving them have come: for those
        # who may read the goals (an adopted plan's follow-up is public, the goals page is not).
        "goals_readable": goals_readable,
        "goals": goal_progress(plan, pa.disclosure) if goals_readable else [],
        "charts": trend_charts,
        "trend": trend,
        "trend_keys": [(key, FIGURES[key][0], FIGURES[key][1]) for key in TREND_KEYS],
    }


def followup(request, municipality, year):
    """Key figures of the plan and year over year, each beside the target and the national reference."""
    pa = plan_access(request, municipality, year)
    context = followup_context(pa)
    # Social considerations (issue 18): counts only, over the municipality's plans this reader may see.
    context["social"] = municipality_figures(
        user=request.user, municipality_id=pa.plan.municipality_id, up_to=pa.plan.year
    )
    context["reserve_centre"] = reserve_centre(pa.access, pa.plan.municipality.centre_id)
    context["outcomes"] = None
    if pa.can_record_outcomes:
        # Officers record outcomes procurement by procurement, a page at a time, as on the plan page.
        outcomes = pa.plan.procurements.select_related("outcome").order_by("ref")
        page = Paginator(outcomes, settings.PLAN_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        for procurement in rows:
            # Looked up once here: a procurement without an outcome raises on every template lookup.
            procurement.recorded = getattr(procurement, "outcome", None)
        context["outcomes"], context["outcomes_page"] = rows, page
    return render(request, "plans/followup/followup.html", context)


@require_http_methods(["GET", "POST"])
def outcome_edit(request, municipality, year, ref):
    """An officer records what the procurement delivered, also after the plan's adoption."""
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    pa.require(pa.can_record_outcomes)
    outcome = Outcome.objects.filter(procurement=procurement).first() or Outcome(procurement=procurement)
    form = OutcomeForm(request.POST or None, instance=copy.copy(outcome))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in OUTCOME_FIELDS}
        try:
            outcome_save(
                procurement=procurement,
                data=data,
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except StaleOutcome as stale:
            refuse_stale(
                form,
                stale.version,
                _(
                    "Someone else saved this outcome while you were editing it. Nothing was saved. "
                    "Check the outcome below; save again to replace theirs with yours."
                ),
            )
        else:
            messages.success(request, _("The outcome of %(ref)s was saved.") % {"ref": procurement.ref})
            return redirect("plans:followup", municipality=municipality, year=year)
    context = {"plan": pa.plan, "pa": pa, "procurement": procurement, "form": form}
    return render(request, "plans/followup/outcome_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def targets(request, municipality, year):
    """Plan administrators set the municipality's targets for the key figures and keep the national
    reference figures. The municipality's own goals (40 % organic food …) are kept on the goals page."""
    pa = plan_access(request, municipality, year)
    pa.require(pa.can_set_targets)
    plan = pa.plan
    current = plan_targets(plan)
    form = TargetsForm(
        request.POST or None,
        keys=TARGET_KEYS,
        initial_targets=current,
        version=targets_version(plan),
        prefix="target",
    )
    national_forms = {
        key: NationalForm(request.POST or None, prefix=f"national-{key}", initial=_national_initial(key))
        for key in ("average_bids", "single_bid_share", "sme_share", "appeal_rate")
    }
    if request.method == "POST":
        forms_ok = form.is_valid() and all(f.is_valid() for f in national_forms.values())
        if forms_ok:
            try:
                targets_save(
                    plan=plan,
                    expected_version=form.cleaned_data["version"],
                    targets={key: form.cleaned_data.get(key) for key in TARGET_KEYS},
                    national={key: national.cleaned_data for key, national in national_forms.items()},
                )
            except StaleTargets:
                refuse_stale(
                    form,
                    targets_version(plan),
                    _(
                        "Someone else changed the targets or the national figures while you were editing "
                        "them. Nothing was saved. Check the figures below; save again to replace theirs "
                        "with yours."
                    ),
                )
            else:
                messages.success(request, _("The targets were saved."))
                return redirect("plans:followup", municipality=municipality, year=year)
    context = {
        "plan": plan,
        "pa": pa,
        "form": form,
        "national_forms": national_forms,
    }
    return render(
        request, "plans/followup/targets.html", context, status=400 if request.method == "POST" else 200
    )


def _national_initial(key):
    year, value = national_references()[key]
    source = NationalReference.objects.filter(key=key, year=year).values_list("source", flat=True).first()
    if source is None:
        source = DEFAULT_NATIONAL[key][2]
    return {"year": year, "value": value, "source": source}
