"""The labour reserve as a goal (issue 18): per municipality of the centre, the people outside the labour
market and those the labour-market department reached, year by year (the minutes' 2 547 and 800). Read by
everyone the centre's register is for; kept by the municipality's labour-market coordinator and the
centre's plan administrators. The follow-up sets the people employed through procurements against them."""

import copy

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Municipality
from plans.models import LabourReserve
from plans.register.fields import refuse_stale
from plans.social import reserve_services as services
from plans.social.access import SocialAccess, social_access
from plans.social.figures import share
from plans.social.reserve_forms import DUPLICATE_YEAR, ReserveForm

STALE_EDIT = gettext_lazy(
    "Someone else saved this year's labour reserve while you were editing it. Nothing of yours was saved. "
    "Check the figures below; save again to replace theirs with yours."
)


@require_safe
def labour_reserve(request, centre):
    """Every municipality of the centre with its years, newest first (two queries beside the access)."""
    sa = social_access(request, centre)
    municipalities = list(Municipality.objects.filter(pk__in=sa.municipality_ids).order_by("name", "pk"))
    years = {municipality.pk: [] for municipality in municipalities}
    for reserve in LabourReserve.objects.filter(municipality_id__in=sa.municipality_ids).order_by("-year"):
        reached = reserve.reached
        reserve.reached_share = None if reached is None else share(reached, reserve.outside)
        years[reserve.municipality_id].append(reserve)
    for municipality in municipalities:
        municipality.reserve_years = years[municipality.pk]
        municipality.can_keep = sa.can_keep_reserve(municipality.pk)
    context = {"sa": sa, "centre": sa.centre, "municipalities": municipalities}
    return render(request, "plans/social/labour_reserve.html", context)


def _municipality(sa: SocialAccess, slug: str) -> Municipality:
    """A municipality of the centre, kept by the user (403 for a reader, 404 for another centre's)."""
    municipality = Municipality.objects.filter(pk__in=sa.municipality_ids, slug=slug).first()
    if municipality is None:
        raise Http404
    sa.require(sa.can_keep_reserve(municipality.pk))
    return municipality


def _list(sa: SocialAccess, municipality: Municipality):
    response = redirect("social:labour_reserve", centre=sa.centre.slug)
    response["Location"] += f"#reserve-{municipality.slug}"
    return response


def _render(request, sa, municipality, form, reserve=None):
    context = {
        "sa": sa,
        "centre": sa.centre,
        "municipality": municipality,
        "form": form,
        "reserve": reserve,
        "creating": reserve is None,
    }
    status = 400 if form.errors else 200
    return render(request, "plans/social/labour_reserve_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def labour_reserve_new(request, centre, municipality):
    sa = social_access(request, centre)
    municipality = _municipality(sa, municipality)
    form = ReserveForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            reserve = services.reserve_create(municipality=municipality, data=form.data_to_save)
        except services.DuplicateYear:
            form.add_error("year", DUPLICATE_YEAR)
        else:
            messages.success(
                request,
                _("The labour reserve of %(municipality)s %(year)s was saved.")
                % {"municipality": municipality.name, "year": reserve.year},
            )
            return _list(sa, municipality)
    return _render(request, sa, municipality, form)


@require_http_methods(["GET", "POST"])
def labour_reserve_edit(request, centre, municipality, year):
    sa = social_access(request, centre)
    municipality = _municipality(sa, municipality)
    reserve = LabourReserve.objects.filter(municipality=municipality, year=year).first()
    if reserve is None:
        raise Http404
    # The form edits a copy, so that the heading keeps the saved year while the form shows a bad one.
    form = ReserveForm(request.POST or None, municipality=municipality, instance=copy.copy(reserve))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.reserve_update(
                reserve=reserve, data=form.data_to_save, expected_version=form.cleaned_data["version"]
            )
        except services.StaleReserve as stale:
            if stale.current is None:
                removed = _("Someone else removed this year's labour reserve. Nothing was saved.")
                messages.error(request, removed)
                return _list(sa, municipality)
            refuse_stale(form, stale.current.version, STALE_EDIT)
        except services.DuplicateYear:
            form.add_error("year", DUPLICATE_YEAR)
        else:
            messages.success(
                request,
                _("The labour reserve of %(municipality)s %(year)s was saved.")
                % {"municipality": municipality.name, "year": saved.year},
            )
            return _list(sa, municipality)
    return _render(request, sa, municipality, form, reserve)
