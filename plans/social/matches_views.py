"""The centre's coming matches (issue 18): /social/<centre>/matches/, the labour-market coordinators' and
the centre's staff's working list. Everyone else who may read the register gets a 404 here (a guessed
address confirms nothing); an anonymous visitor the login page.

Fast over a centre's year: the register is read once, the coming procurements as a few columns each and
matched in Python (plans.social.matches), and only the page shown is read in full."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Municipality
from plans.exchange.tabular import write_csv
from plans.orders.access import order_url
from plans.social.access import social_access
from plans.social.matches import centre_register, coming_matches, display_rows, open_order_matches
from plans.social.matches_forms import MatchFilterForm

PAGE_SIZE = 50


@require_GET
def matches(request, centre):
    sa = social_access(request, centre)
    if not sa.can_view_matches:
        raise Http404
    register = centre_register(sa.centre.pk)
    municipalities = list(
        Municipality.objects.filter(pk__in=sa.municipality_ids).order_by("name").values_list("pk", "name")
    )
    form = MatchFilterForm(
        request.GET or None,
        municipalities=municipalities,
        enterprises=register.named(register.enterprises),
    )
    filters, ignored = form.filters()
    message = _("The filter “%(filter)s” had a value that cannot be used; it was ignored.")
    for label in ignored:
        messages.warning(request, message % {"filter": label})
    found = coming_matches(
        user=request.user,
        register=register,
        municipality_ids=sa.municipality_ids,
        today=timezone.localdate(),
        **filters,
    )
    if request.GET.get("format") == "csv":
        return _csv(sa, register, found)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    display_rows(page.object_list, register=register, access=sa.access)
    orders = [
        (order, enterprises, order_url(order))
        for order, enterprises in open_order_matches(
            access=sa.access, register=register, municipality_ids=sa.municipality_ids
        )
    ]
    context = {
        "sa": sa,
        "centre": sa.centre,
        "form": form,
        "filter": {"form": form},  # as plans/includes/filter_fields.html reads a filter
        "filtered": bool(form.active),
        "page": page,
        "count": len(found),
        "orders": orders,
        "enterprise_count": len(register.enterprises),
    }
    return render(request, "plans/social/matches.html", context)


def _csv(sa, register, found) -> HttpResponse:
    """Every row of the list as filtered (not only the page shown), as the page shows it: the value
    through the municipality's Disclosure."""
    display_rows(found, register=register, access=sa.access)
    language = translation.get_language() or "sv"
    header = [
        _("Planned advertisement"),
        _("Municipality"),
        _("Plan year"),
        _("Reference"),
        _("Title"),
        _("Department"),
        _("CPV code"),
        _("Category"),
        _("Estimated value (SEK)"),
        _("Social enterprises"),
        _("Suggestion"),
        _("Decision"),
    ]
    rows = []
    for match in found:
        procurement = match.procurement
        decision = match.recorded
        rows.append(
            [
                procurement.planned_advertisement,
                procurement.plan.municipality.name,
                procurement.plan.year,
                procurement.ref,
                procurement.title,
                procurement.department.name,
                procurement.cpv,
                procurement.get_category_display(),
                "" if match.value is None else match.value,
                "; ".join(enterprise.name for enterprise in match.enterprises),
                match.suggestion_label,
                decision.get_decision_display() if decision else _("Not decided"),
            ]
        )
    response = HttpResponse(
        write_csv(header, rows, language=language), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="matches-{sa.centre.slug}.csv"'
    return response
