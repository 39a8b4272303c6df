"""Orders by spreadsheet (issue 14): a department uploads its orders; every row right or nothing placed,
every bad row named with its line and reason; per role; the order window; an upload twice orders nothing
twice; the template imports back."""

import csv
import io
import re
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from plans.exchange.reading import ImportRefused
from plans.models import Goal, Order, OrderEvent
from plans.orders import imports
from tests.factories import UserFactory, member

# Inside the 2027 plans' default order window (1 February – 31 May 2026).
ORDER_DAY = date(2026, 3, 16)

HEADER = [
    "Benämning",
    "Behov",
    "Kategori",
    "CPV",
    "Uppskattat värde SEK",
    "Värdet uppskattat utifrån",
    "Avtalstid mån",
    "Önskad avtalsstart",
    "Nuvarande avtal löper ut",
    "Budgetläge",
    "Sysselsättningskrav",
    "Miljökravnivå",
    "Mål",
    "Sakkunnig",
    "Sakkunnigs e-post",
]
WORKWEAR = [
    "Arbetskläder hemtjänsten",
    "Kläder som tål tvätt i 90 grader.",
    "Vara",
    "18100000-0",
    "2 600 000",
    "Årets kostnader",
    "48",
    "2027-01-01",
    "2026-12-31",
    "Inom budgetram",
    "Ja",
    "Bas",
    "fossilfritt falun 2035; 40 % ekologisk mat",
    "Eva Sakkunnig",
    "eva@falun.example",
]
LAUNDRY = [
    "Tvätt av arbetskläder",
    "Tvätt av hemtjänstens kläder.",
    "Tjänst",
    "",
    "900000",
    "",
    "36",
    "",
    "",
    "Behöver finansiering",
    "Nej",
    "",
    "",
    "",
    "",
]


def csv_bytes(rows, header=HEADER, delimiter=";") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows, header) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def window_open():
    with time_machine.travel(ORDER_DAY, tick=False):
        yield


@pytest.fixture
def goals(falun):
    return [
        Goal.objects.create(municipality=falun, title="Fossilfritt Falun 2035"),
        Goal.objects.create(municipality=falun, title="40 % ekologisk mat"),
    ]


def import_url(plan):
    return reverse("plans:order_import", kwargs={"municipality": plan.municipality.slug, "year": plan.year})


def orders_url(plan):
    return reverse("plans:orders", kwargs={"municipality": plan.municipality.slug, "year": plan.year})


def upload(client, plan, content, name="bestallningar.csv"):
    return client.post(import_url(plan), {"file": SimpleUploadedFile(name, content)})


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def errors_of(result):
    """The errors as the user reads them (RowError's own text is in the language active when read)."""
    with translation.override("en"):
        return [str(error) for error in result.errors]


def check(plan, departments, content, name="orders.csv", user=None):
    with translation.override("en"):
        return imports.orders_import(
            plan=plan, departments=departments, filename=name, content=content, user=user
        )


# --- Good files ----------------------------------------------------------------------------------------


def test_a_good_csv_places_every_order_with_its_goals_and_events(
    client_for, department_rep, falun_plan, serv, goals
):
    client = in_english(client_for(department_rep))
    response = upload(client, falun_plan, csv_bytes([WORKWEAR, LAUNDRY]))
    assert response.status_code == 302 and response["Location"] == orders_url(falun_plan)
    workwear = Order.objects.get(title="Arbetskläder hemtjänsten")
    assert (workwear.plan, workwear.department, workwear.ordered_by) == (falun_plan, serv, department_rep)
    assert (workwear.category, workwear.cpv, workwear.estimated_value_sek) == (
        "goods",
        "18100000",  # kept as eight digits, the check digit dropped (issue 17)
        2_600_000,
    )
    assert (workwear.duration_months, workwear.desired_start) == (48, date(2027, 1, 1))
    assert workwear.current_contract_ends == date(2026, 12, 31) and workwear.employment_requirement
    assert (workwear.budget_status, workwear.environmental_level) == ("within_frame", "bas")
    assert (workwear.expert_name, workwear.expert_email) == ("Eva Sakkunnig", "eva@falun.example")
    assert set(workwear.goals.all()) == set(goals)
    laundry = Order.objects.get(title="Tvätt av arbetskläder")
    assert (laundry.budget_status, laundry.environmental_level, laundry.cpv) == ("needs_funding", "none", "")
    assert not laundry.goals.exists() and laundry.status == "submitted"
    events = OrderEvent.objects.filter(order__plan=falun_plan)
    assert sorted(events.values_list("action", "user")) == [("submitted", department_rep.pk)] * 2
    assert "2 orders imported." in client.get(import_url(falun_plan)).content.decode()


def test_a_cpv_code_as_the_swedish_csv_export_writes_it_is_read(client_for, department_rep, falun_plan, serv):
    """The text formula ="03220000" that keeps the leading zero in a spreadsheet (issue 17)."""
    cells = with_cell(with_cell(WORKWEAR, "CPV", '="03220000"'), "Mål", "")
    response = upload(client_for(department_rep), falun_plan, csv_bytes([cells]))
    assert response.status_code == 302
    assert Order.objects.get(title="Arbetskläder hemtjänsten").cpv == "03220000"


def test_a_good_xlsx_with_english_headers_and_spreadsheet_values_places_its_orders(
    client_for, department_rep, falun_plan, serv, goals
):
    header = ["title", "need", "category", "cpv", "estimated_value_sek", "duration_months", "new_need"]
    header += ["desired_start", "goals", "options", "lots", "confidential"]
    rows = [
        # A CPV that lost its leading zero as a number; a real date cell; TRUE as a spreadsheet writes it.
        [
            *("Fordon", "Elbilar.", "goods", 3411000, 5_000_000, 48.0, "yes"),
            *(date(2027, 2, 1), "Fossilfritt Falun 2035", "2 + 1 + 1 år", True, "Nej"),
        ],
        [
            *("Skolmat", "Mat till skolorna.", "Tjänst", "15000000", 12_000_000, 24, "Nej"),
            *(None, "40 % EKOLOGISK MAT", None, None, None),
        ],
    ]
    response = upload(client_for(department_rep), falun_plan, xlsx_bytes(rows, header), "orders.xlsx")
    assert response.status_code == 302
    cars = Order.objects.get(title="Fordon")
    assert (cars.cpv, cars.estimated_value_sek, cars.duration_months) == ("03411000", 5_000_000, 48)
    assert cars.new_need and cars.lots and not cars.confidential and cars.options == "2 + 1 + 1 år"
    assert cars.desired_start == date(2027, 2, 1) and list(cars.goals.all()) == [goals[0]]
    assert list(Order.objects.get(title="Skolmat").goals.all()) == [goals[1]]
    assert cars.department == serv


def test_the_plans_columns_an_order_has_not_are_ignored_and_named(
    client_for, department_rep, falun_plan, goals
):
    header = ["Ref", *HEADER, "Förfarande", "Planerad annonsering", "Kommentar"]
    rows = [["2027-001", *WORKWEAR, "Öppet förfarande", "2027-03-01", "hej"]]
    client = in_english(client_for(department_rep))
    response = upload(client, falun_plan, csv_bytes(rows, header))
    assert response.status_code == 302 and Order.objects.count() == 1
    page = client.get(import_url(falun_plan)).content.decode()
    assert "Columns ignored: Ref, Förfarande, Planerad annonsering, Kommentar." in page


# --- Bad rows: nothing placed, each named with its line and reason ----------------------------------------


def with_cell(row, column, value):
    changed = list(row)
    changed[HEADER.index(column)] = value
    return changed


BAD_CELLS = [
    ("CPV", "1234", "CPV: Enter a CPV code of eight digits"),
    ("Mål", "Fossilfritt Falun 2035; Världsfred", "Mål: the municipality has no goal called “Världsfred”"),
    ("Uppskattat värde SEK", "ungefär en miljon", "“ungefär en miljon” is not an amount"),
    ("Behov", "", "Behov is missing"),
    ("Önskad avtalsstart", "31.12.2027", "“31.12.2027” is not a date"),
    ("Avtalstid mån", "200", "between 1 and 120 months"),
    ("Kategori", "Grejer", "Kategori: “Grejer” is not one of"),
    ("Budgetläge", "Kanske", "Budgetläge: “Kanske” is not one of Inom budgetram"),
    ("Sakkunnigs e-post", "eva at falun", "“eva at falun” is not an e-mail address"),
    ("Benämning", "x" * 301, "Benämning is longer than 300 characters"),
    ("Sysselsättningskrav", "=1+1", "Sysselsättningskrav: formulas are not accepted"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_CELLS, ids=[case[0] for case in BAD_CELLS])
def test_one_bad_row_places_nothing_and_is_named_with_its_line_and_reason(
    falun_plan, serv, department_rep, goals, column, value, reason
):
    rows = [WORKWEAR, LAUNDRY, with_cell(with_cell(LAUNDRY, "Benämning", "Städning"), column, value)]
    result = check(falun_plan, [serv], csv_bytes(rows), user=department_rep)
    assert [(error.line, reason in error.message) for error in result.errors] == [(4, True)]
    assert not result.orders and Order.objects.count() == 0


def test_every_bad_row_is_listed_on_the_page_and_nothing_is_placed(
    client_for, department_rep, falun_plan, goals
):
    rows = [
        WORKWEAR,
        with_cell(LAUNDRY, "CPV", "1234"),
        with_cell(with_cell(LAUNDRY, "Benämning", "Städning"), "Mål", "Världsfred"),
    ]
    response = upload(in_english(client_for(department_rep)), falun_plan, csv_bytes(rows))
    assert response.status_code == 200 and Order.objects.count() == 0
    page = response.content.decode()
    assert "No order was imported" in page
    assert '<td class="num">3</td><td>CPV: Enter a CPV code' in page
    assert '<td class="num">4</td><td>Mål: the municipality has no goal called “Världsfred”' in page


def test_new_need_and_a_current_contract_contradict_each_other(falun_plan, serv, goals):
    header = [*HEADER, "Nytt behov"]
    result = check(falun_plan, [serv], csv_bytes([[*WORKWEAR, "Ja"]], header))
    assert errors_of(result) == [
        "row 2: Nytt behov says a new need, yet Nuvarande avtal löper ut gives the current contract's end"
    ]


# --- The file as a whole refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (csv_bytes([WORKWEAR], [h for h in HEADER if h != "Behov"]), "o.csv", "Columns are missing: need."),
        (csv_bytes([WORKWEAR], [*HEADER[:-1], "Benämning"]), "o.csv", "“Benämning” appears twice"),
        (b"%PDF-1.7 not a spreadsheet", "o.csv", "This file looks like a PDF document."),
        (csv_bytes([WORKWEAR]), "o.pdf", "Upload an Excel file (.xlsx) or a CSV file (.csv)."),
        (b"x" * (imports.MAX_BYTES + 1), "o.csv", "orders are imported from files of at most 2 MB"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(falun_plan, serv, content, name, message):
    with pytest.raises(ImportRefused, match=re.escape(message)):
        check(falun_plan, [serv], content, name)


def test_too_many_rows_are_refused_with_the_limit(falun_plan, serv, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    rows = [with_cell(LAUNDRY, "Benämning", f"Tvätt {number}") for number in range(3)]
    with pytest.raises(
        ImportRefused, match=re.escape("The file has 3 rows; import at most 2 orders at a time.")
    ):
        check(falun_plan, [serv], csv_bytes(rows))


def test_a_refused_file_is_shown_beside_the_field(client_for, department_rep, falun_plan):
    response = upload(in_english(client_for(department_rep)), falun_plan, b"%PDF-1.7", "orders.csv")
    assert response.status_code == 200
    assert "This file looks like a PDF document." in response.content.decode()


# --- Twice: nothing ordered twice ---------------------------------------------------------------------------


def test_uploading_the_same_file_again_orders_nothing_twice(client_for, department_rep, falun_plan, goals):
    client = in_english(client_for(department_rep))
    assert upload(client, falun_plan, csv_bytes([WORKWEAR, LAUNDRY])).status_code == 302
    again = upload(client, falun_plan, csv_bytes([WORKWEAR, LAUNDRY]))
    assert again.status_code == 200 and Order.objects.count() == 2
    assert "Serviceförvaltningen has already ordered “Tvätt av arbetskläder” for this plan" in (
        again.content.decode()
    )


def test_a_title_twice_in_the_file_is_refused_on_its_second_row(falun_plan, serv, goals):
    result = check(
        falun_plan,
        [serv],
        csv_bytes([WORKWEAR, LAUNDRY, with_cell(WORKWEAR, "Benämning", "ARBETSKLÄDER hemtjänsten")]),
    )
    assert errors_of(result) == ["row 4: The title “ARBETSKLÄDER hemtjänsten” is also on row 2"]


def test_another_departments_order_of_the_same_title_does_not_count(
    falun_plan, serv, omv, department_rep, goals
):
    Order.objects.create(
        plan=falun_plan,
        department=omv,
        title=WORKWEAR[0],
        need="x",
        category="goods",
        estimated_value_sek=1,
        duration_months=12,
    )
    assert check(falun_plan, [serv], csv_bytes([WORKWEAR]), user=department_rep).ok


# --- Departments -------------------------------------------------------------------------------------------


@pytest.fixture
def rep_of_both(falun, serv, omv):
    user = member(UserFactory(username="tvafor"), Role.DEPARTMENT_REP, municipality=falun, department=serv)
    return member(user, Role.DEPARTMENT_REP, municipality=falun, department=omv)


def test_a_representative_of_one_department_cannot_order_for_another(falun_plan, serv, omv, goals):
    header = [*HEADER, "Förvaltning"]
    result = check(falun_plan, [serv], csv_bytes([[*WORKWEAR, "SERV"], [*LAUNDRY, "OMV"]], header))
    assert errors_of(result) == ["row 3: Förvaltning: “OMV” is not a department you order for (SERV)"]
    assert Order.objects.count() == 0


def test_a_representative_of_several_departments_names_each_orders_department(
    client_for, rep_of_both, falun_plan, serv, omv, goals
):
    header = [*HEADER, "Förvaltning"]
    rows = [[*WORKWEAR, "serv"], [*LAUNDRY, "Omvårdnadsförvaltningen"]]
    assert upload(client_for(rep_of_both), falun_plan, csv_bytes(rows, header)).status_code == 302
    assert Order.objects.get(title=WORKWEAR[0]).department == serv
    assert Order.objects.get(title=LAUNDRY[0]).department == omv


def test_several_departments_need_the_department_column_and_a_value_on_each_row(falun_plan, serv, omv, goals):
    with pytest.raises(
        ImportRefused, match=re.escape("Columns are missing: department. You order for several")
    ):
        check(falun_plan, [serv, omv], csv_bytes([WORKWEAR]))
    result = check(falun_plan, [serv, omv], csv_bytes([[*WORKWEAR, ""]], [*HEADER, "Förvaltning"]))
    assert errors_of(result) == ["row 2: Förvaltning is missing"]


# --- Who, and when ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "get", "post"),
    [
        ("department_rep", 200, 302),
        ("officer", 403, 403),  # officers take orders in through the queue; they do not upload them
        ("plan_admin", 403, 403),
        ("politician", 403, 403),  # politicians read orders, never write them
        ("outsider", 404, 404),
        ("anonymous", "login", "login"),
    ],
)
def test_only_the_departments_representative_imports_its_orders(
    client_for, users, falun_plan, goals, role, get, post
):
    client = client_for(users[role])
    for method, expected in (("get", get), ("post", post)):
        if method == "get":
            response = client.get(import_url(falun_plan))
        else:
            response = upload(client, falun_plan, csv_bytes([WORKWEAR]))
        if expected == "login":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == expected, (role, method)
    assert Order.objects.count() == (1 if role == "department_rep" else 0)


@pytest.mark.parametrize(
    ("today", "shown"),
    [
        (date(2026, 1, 31), "The order window is closed. It opens on 2026-02-01"),
        (date(2026, 6, 1), "The order window is closed (it was open 2026-02-01 – 2026-05-31)"),
    ],
)
def test_outside_the_order_window_the_page_says_so_and_takes_no_file(
    client_for, department_rep, falun_plan, goals, today, shown
):
    with time_machine.travel(today, tick=False):
        client = in_english(client_for(department_rep))
        page = client.get(import_url(falun_plan))
        refused = upload(client, falun_plan, csv_bytes([WORKWEAR]))
    assert page.status_code == 200 and shown in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    assert refused.status_code == 403 and Order.objects.count() == 0


def test_an_adopted_plan_takes_no_orders(client_for, department_rep, adopted_plan):
    client = client_for(department_rep)
    assert client.get(import_url(adopted_plan)).status_code == 403
    assert upload(client, adopted_plan, csv_bytes([WORKWEAR])).status_code == 403


# --- The template ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_template_filled_in_imports(client_for, department_rep, falun_plan, serv, goals, kind):
    from openpyxl import load_workbook

    client = client_for(department_rep)
    template = client.get(import_url(falun_plan), {"template": kind})
    assert template.status_code == 200
    assert template["Content-Disposition"] == f'attachment; filename="bestallningar-mall.{kind}"'
    if kind == "xlsx":
        workbook = load_workbook(io.BytesIO(template.content))
        header = [cell.value for cell in workbook.worksheets[0][1]]
        allowed = " ".join(str(cell.value) for row in workbook.worksheets[1].iter_rows() for cell in row)
        assert "40 % ekologisk mat; Fossilfritt Falun 2035" in allowed
    else:
        header = template.content.decode("utf-8-sig").strip().split(";")
    assert "Förvaltning" not in header  # one department: implied
    values = dict(zip(HEADER, WORKWEAR, strict=True))
    row = [values.get(name, "") for name in header]
    content = xlsx_bytes([row], header) if kind == "xlsx" else csv_bytes([row], header)
    assert upload(client, falun_plan, content, f"orders.{kind}").status_code == 302
    assert Order.objects.get().goals.count() == 2


def test_the_template_of_a_representative_of_several_departments_has_the_department_column(
    client_for, rep_of_both, falun_plan
):
    template = client_for(rep_of_both).get(import_url(falun_plan), {"template": "csv"})
    assert "Förvaltning" in template.content.decode("utf-8-sig").split(";")


# --- Escaping and cost -------------------------------------------------------------------------------------


def test_what_the_file_holds_is_shown_escaped_in_the_errors(client_for, department_rep, falun_plan, goals):
    bad = with_cell(WORKWEAR, "Mål", "<img src=x onerror=alert(1)>")
    page = upload(in_english(client_for(department_rep)), falun_plan, csv_bytes([bad])).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page


@pytest.mark.parametrize("count", [5, 20])
def test_placing_the_orders_costs_a_few_queries_per_order(
    falun_plan, serv, department_rep, goals, django_assert_max_num_queries, count
):
    rows = [with_cell(WORKWEAR, "Benämning", f"Kläder {number}") for number in range(count)]
    # Checking costs a fixed few; each order is order_place's (its model checks, the order, its event);
    # the goals of all go in at once.
    with django_assert_max_num_queries(8 + 13 * count):
        result = check(falun_plan, [serv], csv_bytes(rows), user=department_rep)
    assert len(result.orders) == count and Order.goals.through.objects.count() == 2 * count
