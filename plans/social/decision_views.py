"""Recording the decision on a procurement's match with the register (issue 18), at the procurement's own
address: /plans/<municipality>/<year>/<ref>/social/ (POST only). The plan is found as its pages find it
(404 for another municipality's draft, the login page for an anonymous visitor); only the municipality's
officers decide, until the plan is adopted (403 for everyone else who may see the plan)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from plans.register.access import plan_access, procurement_for
from plans.register.fields import refuse_stale
from plans.register.views import _procurement_context
from plans.social import decisions, panel
from plans.social.decision_forms import DecisionForm
from plans.social.matches import matches_for

STALE_DECISION = gettext_lazy(
    "Someone else recorded a decision on this procurement while you were writing yours. Nothing of yours "
    "was saved. Check their decision above; record yours again to replace it."
)
NO_MATCH = gettext_lazy(
    "No social enterprise in the register offers this any longer, so there is nothing to decide. Nothing "
    "was saved."
)


@require_POST
def social_decision(request, municipality, year, ref):
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    pa.require(panel.decision_allowed(pa))
    form = DecisionForm(request.POST)
    if not matches_for(procurement):
        messages.error(request, NO_MATCH)
    elif form.is_valid():
        try:
            recorded = decisions.decision_record(
                procurement=procurement,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except decisions.StaleDecision as stale:
            refuse_stale(form, stale.current.version if stale.current else 0, STALE_DECISION)
        else:
            message = _("The decision on the social enterprises was recorded: %(decision)s.")
            messages.success(request, message % {"decision": recorded.get_decision_display()})
            return redirect(procurement.get_absolute_url() + "#social-matches")
    # The procurement as it is now (a stale decision's page shows the other officer's), with this form.
    procurement = procurement_for(pa, ref)
    context = _procurement_context(pa, procurement, decision_form=form)
    return render(request, "plans/register/procurement.html", context, status=400)
