"""The centre's year (issue 16): every procurement of the year in every municipality the centre serves, in
one table with the plan page's filters and the centre's own, the sums per municipality and per quadrant,
and the same rows as CSV or XLSX. For the centre's officers and plan administrators only."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.models import Department
from plans.centre import coordination
from plans.centre.access import CentreAccess, centre_access
from plans.centre.capacity_services import centre_officers
from plans.centre.exports import export_year_file
from plans.centre.filters import CentreYearFilter, YearChoices, apply_year_filters
from plans.centre.sums import year_sums
from plans.centre.tables import CentreYearTable
from plans.register.tables import CountedPaginator

EXPORT_FORMATS = ("csv", "xlsx")
# Query-string keys that are no filter: the folded filters count the others.
NOT_FILTERS = {"sort", "page"}


def year_procurements(ca: CentreAccess):
    """Every procurement of the year in the municipalities the centre serves, with the value the viewer
    may see (shown_value) for sorting, filtering and the table."""
    return ca.disclosure.with_shown_value(coordination.year_procurements(ca.centre, ca.year))


def centre_municipalities(ca: CentreAccess) -> list[tuple[int, str, str]]:
    """(pk, slug, name) of the municipalities the centre serves, by name."""
    return list(ca.centre.municipalities.order_by("name").values_list("pk", "slug", "name"))


def suggested(ca: CentreAccess) -> frozenset[int]:
    """The rows the coordination page suggests joining: the year's "could be coordinated"."""
    return frozenset(coordination.suggestion_ids(ca.centre, ca.year, settings=ca.settings))


def year_choices(ca: CentreAccess, municipalities) -> YearChoices:
    """What the filters' selects offer: the centre's municipalities, their departments and its officers."""
    departments = (
        Department.objects.filter(municipality__centre=ca.centre)
        .order_by("municipality__name", "name", "pk")
        .values_list("pk", "name", "municipality__name")
    )
    officers = centre_officers(ca.centre)
    return YearChoices(
        municipalities=[(slug, name) for _pk, slug, name in municipalities],
        departments=[(pk, f"{name} ({municipality})") for pk, name, municipality in departments],
        officers=[(officer.pk, officer.get_full_name() or officer.username) for officer in officers],
    )


def _filtered(request, ca: CentreAccess, municipalities, suggestions):
    """(filterset for the query string, labels of the filters whose values it could not use and ignored)."""
    return apply_year_filters(
        request.GET,
        queryset=year_procurements(ca),
        choices=year_choices(ca, municipalities),
        suggestions=suggestions,
    )


class CentreYearView(SingleTableMixin, FilterView):
    template_name = "plans/centre/year.html"
    filterset_class = CentreYearFilter
    table_class = CentreYearTable

    def dispatch(self, request, *args, **kwargs):
        self.ca = centre_access(request, kwargs["centre"], kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        ca = self.ca
        self.municipalities = centre_municipalities(ca)
        self.suggestions = suggested(ca)
        # An unknown or malformed filter value is named and ignored; the rest of the filters apply.
        self.filterset, ignored = _filtered(request, ca, self.municipalities, self.suggestions)
        message = _("The filter “%(filter)s” had a value that cannot be used; it was ignored.")
        for label in ignored:
            messages.warning(request, message % {"filter": label})
        self.object_list = self.filterset.qs.select_related(
            "plan__municipality", "department", "officer", "coordination"
        )
        self.sums = year_sums(self.object_list, disclosure=ca.disclosure, municipalities=self.municipalities)
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def get_table_kwargs(self):
        year = self.ca.year
        return {
            "year": year,
            "plan_urls": {
                pk: reverse("plans:plan", kwargs={"municipality": slug, "year": year})
                for pk, slug, _name in self.municipalities
            },
            "suggestions": self.suggestions,
            "coordination_url": reverse("centre:coordination", args=[self.ca.centre.slug, year]),
        }

    def get_table_pagination(self, table):
        # The sums have counted the filtered rows already: the paginator need not again.
        return {
            "per_page": settings.PLAN_PAGE_SIZE,
            "paginator_class": CountedPaginator,
            "count": self.sums.total.count,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The filters in use: the query string without the values that were ignored (filterset.data).
        active_filters = sum(
            1 for key, value in self.filterset.data.items() if value and key not in NOT_FILTERS
        )
        filtered = bool(active_filters)
        context.update(
            ca=self.ca,
            desk_page="year",
            sums=self.sums,
            filtered=filtered,
            active_filters=active_filters,
            filtered_count=self.sums.total.count,
            # Unfiltered, the sums hold every procurement of the year: no need to count them again.
            total_count=year_procurements(self.ca).count() if filtered else self.sums.total.count,
        )
        return context


centre_year = CentreYearView.as_view()


def year_export(request, centre, year, extension):
    """The year's procurements as CSV or XLSX, honouring the page's filters (?lang=en for English)."""
    if extension not in EXPORT_FORMATS:
        raise Http404
    ca = centre_access(request, centre, year)
    suggestions = suggested(ca)
    filterset, _ignored = _filtered(request, ca, centre_municipalities(ca), suggestions)
    language = request.GET.get("lang") or translation.get_language() or "sv"
    language = "en" if language.startswith("en") else "sv"
    content, content_type = export_year_file(
        procurements=filterset.qs,
        fmt=extension,
        language=language,
        disclosure=ca.disclosure,
        suggestions=suggestions,
    )
    response = HttpResponse(content, content_type=content_type)
    filename = f"upphandlingar-{ca.centre.slug}-{ca.year}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
