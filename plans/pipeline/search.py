"""
The coming procurements (issue 17): what a supplier may find, and how a search is written down.

Coming: a procurement of a public plan (adopted, or a draft its municipality publishes during the remiss;
Plan.public_q) whose planned advertisement is today or later and that is not yet advertised, awarded or
cancelled. Everything here is read as the public reads it: the Disclosure PUBLIC decides the value and
the description, so a confidential value is never searched, shown, sorted or banded.

The words are searched in Swedish with PostgreSQL's full-text search (websearch syntax, which takes any
text without an error) over the title and the public description, through the GIN index that migration
0014 creates on the stored vector of both; on SQLite, every word must appear in either (icontains).

A search is the filter form's query string; saved_query() writes it in one normal form, so the same search
is one subscription however its address was written.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db import connection
from django.db.models import BooleanField, Expression, F, Q, Value
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from plans.centre import cpv
from plans.centre.filters import cpv_choices
from plans.dates import quarter
from plans.models import Category, Outcome, Plan, Procedure, Procurement
from plans.register.disclosure import PUBLIC
from plans.register.filters import usable_filters
from plans.register.widgets import FlagCheckbox, PlainSelect, SharedSelect

PAGE_SIZE = 50
# Longer searches are cut here: nobody types more, and the query planner should not have to read it.
MAX_SEARCH = 200
# How far ahead the quarter filter offers (eight quarters: this one and the next seven).
QUARTERS_AHEAD = 8


class PublicTextMatches(Expression):
    """The Swedish full-text match of the title and the public description (PostgreSQL), on the vector that
    PostgreSQL keeps in the column search_document with its GIN index (migration 0014). The column is not
    a model field (Django neither reads nor writes it): its table is the one the compiler writes for the
    row's id, so that it reads the right table inside a subquery too."""

    output_field = BooleanField()

    def __init__(self, words: str):
        super().__init__()
        self.procurement = F("pk")
        self.words = Value(words)

    def get_source_expressions(self):
        return [self.procurement, self.words]

    def set_source_expressions(self, expressions):
        self.procurement, self.words = expressions

    def as_sql(self, compiler, connection):
        procurement, procurement_params = compiler.compile(self.procurement)
        words, words_params = compiler.compile(self.words)
        table = procurement.rsplit(".", 1)[0]
        document = f"{table}.{connection.ops.quote_name('search_document')}"
        sql = f"{document} @@ websearch_to_tsquery('swedish'::regconfig, {words})"
        return sql, (*procurement_params, *words_params)


class NotAdvertised(Expression):
    """Not yet advertised, awarded or cancelled: no outcome, or one not started.

    Asked of each candidate row through the outcome's unique index: on PostgreSQL a sub-plan (OFFSET 0
    keeps it from becoming a join). As a join, PostgreSQL hashed every outcome of every past year (160 000
    in the national data set) for each search, when the coming procurements have hardly any."""

    output_field = BooleanField()

    def __init__(self):
        super().__init__()
        self.procurement = F("pk")

    def get_source_expressions(self):
        return [self.procurement]

    def set_source_expressions(self, expressions):
        (self.procurement,) = expressions

    def as_sql(self, compiler, connection):
        procurement, params = compiler.compile(self.procurement)
        fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
        sql = (
            "NOT EXISTS (SELECT 1 FROM plans_outcome AS pipeline_outcome WHERE "
            f"pipeline_outcome.procurement_id = {procurement} AND pipeline_outcome.status <> %s{fence})"
        )
        return sql, (*params, Outcome.Status.NOT_STARTED.value)


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    low: int
    high: int | None  # exclusive; None: no upper end


MILLION = 1_000_000
BANDS = (
    Band("0-1", _("Under 1 million SEK"), 0, MILLION),
    Band("1-5", _("1–5 million SEK"), MILLION, 5 * MILLION),
    Band("5-20", _("5–20 million SEK"), 5 * MILLION, 20 * MILLION),
    Band("20-100", _("20–100 million SEK"), 20 * MILLION, 100 * MILLION),
    Band("100-", _("100 million SEK or more"), 100 * MILLION, None),
)
BANDS_BY_KEY = {band.key: band for band in BANDS}


def coming(today: date | None = None):
    """Every coming procurement, as the public reads it (shown_value), in advertisement order."""
    today = today or timezone.localdate()
    queryset = Procurement.objects.filter(
        Plan.public_q(today, prefix="plan__"), NotAdvertised(), planned_advertisement__gte=today
    )
    return PUBLIC.with_shown_value(queryset).order_by("planned_advertisement", "pk")


def clean_words(text: str) -> str:
    """The search text as it is searched: no control characters (PostgreSQL refuses NUL), at most
    MAX_SEARCH characters, spaces collapsed."""
    printable = "".join(char if char.isprintable() else " " for char in text or "")
    return " ".join(printable.split())[:MAX_SEARCH]


def matching_words(queryset, text: str):
    """The rows whose title or public description hold the words (Swedish full text on PostgreSQL)."""
    words = clean_words(text)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(PublicTextMatches(words))
    for word in words.split()[:10]:
        word = word.strip("\"'()+-|!&:*")
        if word:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(confidential=False, description__icontains=word)
            )
    return queryset


def quarter_choices(today: date) -> list[tuple[str, str]]:
    """("2027-1", "K1 2027") for this quarter and the next seven."""
    year, number = today.year, quarter(today)
    choices = []
    for _step in range(QUARTERS_AHEAD):
        choices.append((f"{year}-{number}", format_lazy("{} {} {}", _("Quarter"), number, year)))
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return choices


def quarter_days(key: str) -> tuple[date, date]:
    """The first and the last day of "2027-1"."""
    year, number = (int(part) for part in key.split("-"))
    first = date(year, 3 * number - 2, 1)
    last = (date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)) - timedelta(days=1)
    return first, last


class SharedChoices(tuple):
    """Choices every filterset shares as they are: a filterset deep-copies its filters and its form's fields,
    and copying the 317 CPV divisions and groups was most of the cost of building one (once per search in
    the alert run)."""

    def __deepcopy__(self, memo):
        return self


@lru_cache(maxsize=1)
def cpv_division_choices() -> SharedChoices:
    return SharedChoices(cpv_choices(cpv.divisions()))


@lru_cache(maxsize=1)
def cpv_group_choices() -> SharedChoices:
    return SharedChoices(cpv_choices(cpv.groups()))


def _select(label, widget=PlainSelect, **kwargs):
    return django_filters.ChoiceFilter(label=label, empty_label=_("All"), widget=widget, **kwargs)


class PipelineFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_words",
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("E.g. school meals, snow clearing"), "maxlength": 1000}
        ),
    )
    municipality = _select(_("Municipality"), field_name="plan__municipality__slug")
    cpv_division = _select(_("CPV division"), field_name="cpv", lookup_expr="startswith", widget=SharedSelect)
    cpv_group = _select(_("CPV group"), field_name="cpv", lookup_expr="startswith", widget=SharedSelect)
    category = _select(_("Category"), choices=Category.choices)
    quarter = _select(_("Quarter advertised"), method="filter_quarter")
    procedure = _select(_("Procedure"), choices=Procedure.choices)
    value = _select(
        _("Estimated value"),
        method="filter_value",
        choices=[(band.key, band.label) for band in BANDS],
        help_text=_("Confidential values are in no band."),
    )
    reserved = django_filters.BooleanFilter(
        method="filter_flag", label=_("Reserved for social enterprises"), widget=FlagCheckbox
    )
    lots = django_filters.BooleanFilter(
        method="filter_flag", label=_("Divided into lots"), widget=FlagCheckbox
    )

    class Meta:
        model = Procurement
        fields = []

    def __init__(self, data=None, queryset=None, *, municipalities, today, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["municipality"].extra["choices"] = municipalities
        self.filters["cpv_division"].extra["choices"] = cpv_division_choices()
        self.filters["cpv_group"].extra["choices"] = cpv_group_choices()
        self.filters["quarter"].extra["choices"] = quarter_choices(today)

    def filter_words(self, queryset, name, value):
        return matching_words(queryset, value)

    def filter_quarter(self, queryset, name, value):
        first, last = quarter_days(value)
        return queryset.filter(planned_advertisement__range=(first, last))

    def filter_value(self, queryset, name, value):
        band = BANDS_BY_KEY[value]
        # shown_value is NULL for a confidential value: no band holds it.
        queryset = queryset.filter(shown_value__gte=band.low)
        return queryset if band.high is None else queryset.filter(shown_value__lt=band.high)

    def filter_flag(self, queryset, name, value):
        field = {"reserved": "reserved_contract", "lots": "lots"}[name]
        return queryset.filter(**{field: True}) if value else queryset


def public_municipalities(today: date | None = None) -> list[tuple[str, str]]:
    """(slug, name) of the municipalities with a public plan, for the municipality filter: one query."""
    plans = Plan.objects.public(today).values("municipality_id")
    return list(Municipality.objects.filter(pk__in=plans).order_by("name").values_list("slug", "name"))


def search(data, *, today: date | None = None, municipalities=None) -> tuple[PipelineFilter, list[str]]:
    """(the filterset for the query string over the coming procurements, the labels of the filters whose
    values it could not use and ignored): never an error."""
    today = today or timezone.localdate()
    if municipalities is None:
        municipalities = public_municipalities(today)
    if isinstance(data, str):
        data = QueryDict(data)
    return usable_filters(
        PipelineFilter, data, queryset=coming(today), municipalities=municipalities, today=today
    )


def saved_query(filterset: PipelineFilter) -> str:
    """The search as one normal query string: the usable filters that are set, in the form's order, the
    words cleaned as they are searched. The same search gives the same string however it was written."""
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    pairs = []
    for name in filterset.filters:
        value = data.get(name)
        if name == "q":
            value = clean_words(value or "")
        if value in (None, "", False):
            continue
        pairs.append((name, "1" if value is True else str(value)))
    return urlencode(pairs)


def described(filterset: PipelineFilter) -> list[tuple[str, str]]:
    """(label, value as read) of each filter the search sets, for the page, the feed and the mails."""
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    shown = []
    for name, field in filterset.form.fields.items():
        value = data.get(name)
        if value in (None, "", False):
            continue
        if name == "q":
            value = clean_words(value)
        elif value is True:
            value = _("yes")
        else:
            # The filter's own choices, not the form field's: those are normalised again on every read.
            choices = filterset.filters[name].extra.get("choices") or ()
            value = next((label for key, label in choices if key == value), value)
        shown.append((str(field.label), str(value)))
    return shown


def advertised_quarter(day: date) -> str:
    return f"{day.year}-{quarter(day)}"
