"""Fuzzing the importer (issue 8, point 2): rows of random text and numbers under random subsets and
orders of the known headers. Whatever the file, plan_import raises nothing but ImportRefused, and it
imports every row or none: never half a file.
"""

import csv
import io
from datetime import date

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from accounts.models import Department
from plans.exchange import imports
from plans.exchange.columns import IMPORT_COLUMNS
from plans.exchange.imports import plan_import
from plans.exchange.reading import ImportRefused
from plans.models import HistoryEntry, Outcome, Procurement
from tests.plans.exchange.test_imports import SV_HEADER, csv_bytes, row

OFFICER_EMAIL = "officer@example.se"

# Text that stresses a CSV reader: separators, quotes, line breaks, formula starts, any Unicode but
# surrogates (which no UTF-8 file can hold) and NUL (which has its own test).
noise = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(";,\"'\r\n\t =+-@ ’”«»ÅÄÖåäö€\u00a0\u202f\ufeff")),
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    ),
    max_size=40,
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(lambda d: str(d).replace(".", ",")),
    st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}".replace(",", " ")),
    st.sampled_from(["1e20", "9" * 30, "NaN", "-0", "0", "120", "121", "32768", "1 000 000 kr", "1.5"]),
)
dates = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)).map(date.isoformat),
    st.sampled_from(
        ["2027-02-30", "2027-13-01", "1 mars", "2027-03-01 00:00", "2027-03-01T12:00", "0000-00-00"]
    ),
)


def valid(column) -> st.SearchStrategy:
    """Values the column accepts (so that some rows, and some files, import)."""
    if column.kind == "choice":
        return st.sampled_from([spelling for names in column.names.values() for spelling in names])
    if column.kind == "bool":
        return st.sampled_from(["Ja", "Nej", "yes", "no", "", "x"])
    if column.kind == "date":
        return st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)).map(date.isoformat)
    return {
        "ref": st.one_of(
            st.integers(1, 60).map(lambda n: f"2027-{n:03d}"), st.sampled_from(["A-1", "b_2", "Z.9", " a-1 "])
        ),
        "title": st.text(min_size=1, max_size=30).filter(str.strip),
        "department": st.sampled_from(
            ["SERV", "omv", "Serviceförvaltningen", " Omvårdnadsförvaltningen", "Räddningstjänsten"]
        ),
        "cpv": st.sampled_from(["34110000", "34110000-1", "15800000", "3411 0000"]),
        "estimated_value_sek": st.integers(0, 10**12).map(str),
        "awarded_value_sek": st.integers(0, 10**12).map(str),
        "duration_months": st.integers(1, 120).map(str),
        "possible_suppliers": st.integers(1, 50).map(str),
        "officer": st.sampled_from(["", OFFICER_EMAIL, OFFICER_EMAIL.upper()]),
        "description": st.text(max_size=60),
    }.get(column.key, st.integers(0, 500).map(str))


def cell(column) -> st.SearchStrategy:
    return st.one_of(valid(column), valid(column), noise, numbers, dates, st.just(""))


def header_spelling(column) -> st.SearchStrategy:
    return st.sampled_from([column.sv, column.key, column.sv.upper(), f"  {column.key} "])


@st.composite
def tables(draw):
    """A header (a random subset of the known columns, in random order, in either language, sometimes
    with an unknown or repeated column) and 0–6 rows of cells for it."""
    required = [column for column in IMPORT_COLUMNS if column.required]
    optional = [column for column in IMPORT_COLUMNS if not column.required]
    columns = draw(st.lists(st.sampled_from(required), unique_by=lambda c: c.key, max_size=len(required)))
    if draw(st.integers(0, 3)):
        columns = list(required)  # most files have every required column
    columns += draw(st.lists(st.sampled_from(optional), unique_by=lambda c: c.key, max_size=8))
    columns = draw(st.permutations(columns))
    header = [draw(header_spelling(column)) for column in columns]
    # Half the files are clean but for what random text brings (titles, descriptions), so that whole
    # files import too; the other half mixes noise, numbers and dates into every column.
    clean = draw(st.booleans())
    cells = [valid(column) if clean else cell(column) for column in columns]
    extra = draw(st.sampled_from([None, None, None, "Kommentar", "Prioritet", "Ref", ""]))
    if extra is not None:
        header.append(extra)
        cells.append(noise)
    rows = draw(st.lists(st.tuples(*cells).map(list) if cells else st.just([]), max_size=6))
    return header, rows


@st.composite
def csv_files(draw):
    header, rows = draw(tables())
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    if draw(st.integers(0, 9)) == 0:
        # Written by hand, quotes and all: a CSV that may be broken.
        text = "\n".join(delimiter.join(line) for line in [header, *rows])
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\r\n", "\n"])))
        writer.writerows([header, *rows])
        text = buffer.getvalue()
    content = (("\ufeff" if draw(st.booleans()) else "") + text).encode("utf-8")
    if draw(st.integers(0, 19)) == 0:
        content += draw(st.binary(max_size=20))
    return content


@pytest.fixture
def plan(falun_plan, serv, omv, officer):
    officer.email = OFFICER_EMAIL
    officer.save()
    return falun_plan


def counts(plan):
    return (
        Procurement.objects.filter(plan=plan).count(),
        Outcome.objects.filter(procurement__plan=plan).count(),
        Department.objects.filter(municipality=plan.municipality).count(),
        HistoryEntry.objects.filter(plan=plan).count(),
    )


@pytest.mark.django_db
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=csv_files(), create_departments=st.booleans(), dry_run=st.sampled_from([False, False, True]))
def test_the_importer_never_raises_and_never_half_imports(content, create_departments, dry_run, plan):
    before = counts(plan)
    try:
        result = plan_import(
            plan=plan,
            filename="fuzz.csv",
            content=content,
            create_departments=create_departments,
            dry_run=dry_run,
        )
    except ImportRefused as refused:
        event("refused whole")
        assert str(refused)
        assert counts(plan) == before
        return
    after = counts(plan)
    event("imported" if result.applied else "bad rows" if not result.ok else "dry run")
    if result.applied:
        event(f"imported rows: {min(result.total, 3)}{'+' if result.total >= 3 else ''}")
    if result.ok and not dry_run:
        assert result.applied
        assert len(result.created) + len(result.updated) + len(result.unchanged) == result.total
        assert after[0] == before[0] + len(result.created)
        assert set(result.created) <= set(Procurement.objects.filter(plan=plan).values_list("ref", flat=True))
    else:
        assert not result.applied
        assert after == before
        if not result.ok:
            assert all(error.line >= 1 and str(error) for error in result.errors)


def test_a_good_file_from_the_same_strategies_imports(plan):
    """The fuzzer's valid values are valid: so its property covers files that import, not only refusals."""
    result = plan_import(plan=plan, filename="plan.csv", content=csv_bytes([row(Ref="A-1")]))
    assert result.ok and result.applied


@pytest.mark.parametrize("failing", ["plan_rescore", "_save_outcomes", "_record_history"])
def test_a_failure_while_writing_leaves_nothing_behind(failing, plan, monkeypatch):
    """The writes share one transaction: a failure after the first of them undoes them all."""

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(imports, failing, fail)
    before = counts(plan)
    content = csv_bytes(
        [row(Förvaltning="Räddningstjänsten"), row(Ref="2027-002", Benämning="Livsmedel")],
    )
    with pytest.raises(RuntimeError):
        plan_import(plan=plan, filename="plan.csv", content=content, create_departments=True)
    assert counts(plan) == before


def test_the_fuzzer_found_these(plan):
    """Numbers too large for the database are bad values, not a crash when saving."""
    for changes, message in [
        # Exponent notation is no way to write an amount: "1e1000000" alone would take minutes to read.
        ({"Uppskattat värde SEK": "1e20"}, "is not an amount in kronor"),
        ({"Uppskattat värde SEK": "9" * 25}, "too large"),
        ({"Antal möjliga leverantörer": "99999"}, "too large"),
    ]:
        from django.utils import translation

        with translation.override("en"):
            result = plan_import(plan=plan, filename="plan.csv", content=csv_bytes([row(**changes)]))
            assert not result.ok and message in str(result.errors[0]), result.errors
    long_name = "Förvaltning " * 30
    result = plan_import(
        plan=plan,
        filename="plan.csv",
        content=csv_bytes([row(Förvaltning=long_name)]),
        create_departments=True,
    )
    assert not result.ok and not Department.objects.filter(name=long_name.strip()).exists()


def test_more_sme_bids_than_bids_is_a_bad_row_not_a_constraint_error(plan):
    """Found by the fuzzer on PostgreSQL: the check constraint outcome_sme_bids_within_bids."""
    sme = "Anbud från små och medelstora företag"
    header = [*SV_HEADER, "Status", "Annonserades", "Antal anbud", sme]
    too_many = csv_bytes([[*row(), "Tilldelad", "2027-03-01", "2", "3"]], header=header)
    result = plan_import(plan=plan, filename="plan.csv", content=too_many)
    assert [error.line for error in result.errors] == [2] and not Procurement.objects.exists()
    both = csv_bytes([[*row(), "Tilldelad", "2027-03-01", "2", "1"]], header=header)
    assert plan_import(plan=plan, filename="plan.csv", content=both).applied
    # Checked against the stored bids when the file has the SME bids only.
    sme_only = csv_bytes([[*row(), "5"]], header=[*SV_HEADER, sme])
    result = plan_import(plan=plan, filename="plan.csv", content=sme_only)
    assert [error.line for error in result.errors] == [2]
    assert Outcome.objects.get().sme_bids == 1
