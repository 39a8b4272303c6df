"""The board brief (styrelsebrief) for KSL: a printable page and a PDF of the strategic procurements."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from plans.followup.brief import QUARTERS, Brief, brief_count, parse_quarter, plan_brief
from plans.followup.brief_pdf import brief_pdf as draw_brief_pdf
from plans.register.access import PlanAccess, plan_access

BRIEF_PAGE_SIZE = 20


def _brief_access(request, municipality, year) -> PlanAccess:
    """Those who may not see the plan get its 404; of those who may, the brief is for members."""
    pa = plan_access(request, municipality, year)
    pa.require(pa.can_view_review)
    return pa


def _brief(request, pa: PlanAccess, **page) -> tuple[Brief, bool]:
    """The brief of the quarter asked for; an unusable ?quarter= gives the whole plan (and False)."""
    quarter, valid = parse_quarter(request.GET.get("quarter"))
    brief_ = plan_brief(plan=pa.plan, quarter=quarter, disclosure=pa.disclosure, **page)
    return brief_, valid


@require_safe
def brief(request, municipality, year):
    """The brief on the web, BRIEF_PAGE_SIZE blocks a page (a large plan has hundreds of strategic
    procurements); the PDF holds them all."""
    pa = _brief_access(request, municipality, year)
    quarter, _valid = parse_quarter(request.GET.get("quarter"))
    paginator = Paginator(range(brief_count(plan=pa.plan, quarter=quarter)), BRIEF_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    start = (page.number - 1) * BRIEF_PAGE_SIZE
    brief_, valid = _brief(request, pa, start=start, stop=start + BRIEF_PAGE_SIZE)
    if not valid:
        messages.warning(request, _("There is no such quarter; the brief shows the whole plan."))
    context = {"plan": pa.plan, "pa": pa, "brief": brief_, "quarters": QUARTERS, "page": page}
    return render(request, "plans/followup/brief.html", context)


@require_safe
def brief_pdf(request, municipality, year):
    pa = _brief_access(request, municipality, year)
    brief_, _valid = _brief(request, pa)
    response = HttpResponse(draw_brief_pdf(brief_), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{brief_.filename}"'
    return response
