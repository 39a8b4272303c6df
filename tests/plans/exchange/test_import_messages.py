"""The import as an officer on the web meets it: messages in the page's terms (no command-line flags),
each starting with a capital letter, and a preview that says what each update changes, field by field,
old → new, as the stale-edit page does (values through the Disclosure)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from plans.exchange import imports
from plans.exchange.imports import ImportResult, plan_import
from plans.models import ImportJob, Procurement
from plans.register.disclosure import CENTRE, PUBLIC
from tests.plans.exchange.test_import_pages import upload
from tests.plans.exchange.test_imports import csv_bytes, row

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def client_for(client_for, django_capture_on_commit_callbacks):
    """The test client, with the check queued on an upload's commit run as the request ends."""

    def post(client, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return type(client).post(client, *args, **kwargs)

    def login(user):
        client = client_for(user)
        client.post = post.__get__(client)
        return client

    return login


CREATE_DEPARTMENTS = "Skapa förvaltningar som filen nämner och som kommunen saknar"


@pytest.fixture
def plan(falun_plan, serv, omv):
    return falun_plan


def job_page(client) -> str:
    return client.get(ImportJob.objects.latest("pk").get_absolute_url()).content.decode()


def test_a_missing_department_on_the_web_names_the_pages_option_not_a_flag(client_for, officer, plan):
    client = client_for(officer)
    upload(client, plan, csv_bytes([row(Förvaltning="Räddningstjänsten")]))
    page = job_page(client)
    assert "Räddningstjänsten" in page
    assert "--create-departments" not in page
    assert CREATE_DEPARTMENTS in page  # the tick box on the upload form, by its label


def test_a_missing_department_on_the_command_line_names_the_flag(plan, tmp_path, capsys):
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes([row(Förvaltning="Räddningstjänsten")]))
    with pytest.raises(CommandError):
        call_command("import_plan", str(path), "--municipality", "falun", "--year", "2027")
    assert "(--create-departments lägger till den)" in capsys.readouterr().err


def test_every_message_on_the_page_starts_with_a_capital_letter(client_for, officer, plan):
    client = client_for(officer)
    header = ["Ref", "Benämning", "Förvaltning", "Kategori", "CPV", "Uppskattat värde SEK", "Avtalstid mån"]
    header += ["Planerad annonsering", "Förfarande", "Klimatpåverkan", "Miljökravnivå", ""]
    good = ["2027-001", "Bilar", "SERV", "Vara", "34110000", "1000", "12", "2027-03-01", "Öppet förfarande"]
    good += ["Låg", "Ingen", ""]
    rows = [good, good, [*good[:11], "=1+1"]]
    rows[2][0] = "2027-002"
    rows[1][2] = "räddningstjänsten"
    upload(client, plan, csv_bytes(rows, header=header))
    errors = ImportJob.objects.get().result["errors"]
    messages = [message for _line, message in errors]
    assert len(messages) >= 3, messages  # the ref twice, the department, the formula in a nameless column
    assert all(message[0].isupper() for message in messages), messages
    assert "Referensen 2027-001 finns också på rad 2" in job_page(client)


def test_an_adopted_plan_says_so_with_a_capital_letter(adopted_plan, serv):
    new_row = row(Ref="2017-001", **{"Planerad annonsering": "2017-03-01", "Nuvarande avtal löper ut": ""})
    result = plan_import(plan=adopted_plan, filename="plan.csv", content=csv_bytes([new_row]))
    assert [error.message for error in result.errors] == [
        "Planen är antagen: bara uppföljningskolumnerna kan ändras"
    ]


def test_the_preview_shows_what_each_update_changes_old_to_new(client_for, officer, plan, omv):
    plan_import(plan=plan, filename="plan.csv", content=csv_bytes([row(), row(Ref="2027-002")]))
    client = client_for(officer)
    changed = row(
        Benämning="Elbilar",
        **{"Uppskattat värde SEK": "40 000 000", "Förvaltning": omv.code, "Delas i lotter": "Nej"},
    )
    upload(client, plan, csv_bytes([changed, row(Ref="2027-002")]))
    assert ImportJob.objects.get().status == ImportJob.Status.READY
    page = job_page(client).replace("&nbsp;", "\u00a0")
    table = page[page.index('class="table import-changes"') :]
    table = table[: table.index("</table>")]
    assert "2027-001" in table and "2027-002" not in table  # the unchanged row is not listed
    for label, before, after in [
        ("Benämning", "Personbilar", "Elbilar"),
        ("Uppskattat värde (kr)", "38\u00a0000\u00a0000\u00a0kr", "40\u00a0000\u00a0000\u00a0kr"),
        ("Förvaltning", "Serviceförvaltningen", omv.name),
        ("Delas i lotter", "Ja", "Nej"),
    ]:
        assert f"<td>{label}</td><td>{before}</td><td>{after}</td>" in table, label
    assert "Kategori" not in table  # fields that stay the same are not listed
    assert Procurement.objects.get(ref="2027-001").title == "Personbilar"  # nothing written yet


def test_the_preview_shows_follow_up_changes_too(client_for, officer, plan):
    plan_import(plan=plan, filename="plan.csv", content=csv_bytes([row()]))
    client = client_for(officer)
    header = ["Ref", "Benämning", "Förvaltning", "Kategori", "CPV", "Uppskattat värde SEK", "Avtalstid mån"]
    header += ["Planerad annonsering", "Förfarande", "Klimatpåverkan", "Miljökravnivå", "Antal anbud"]
    cells = ["2027-001", "Personbilar", "SERV", "Vara", "34110000", "38 000 000", "48", "2027-03-01"]
    cells += ["Öppet förfarande", "Hög", "Spjutspets", "4"]
    upload(client, plan, csv_bytes([cells], header=header))
    page = job_page(client)
    assert "<td>Antal anbud</td><td>–</td><td>4</td>" in page


def test_the_preview_reads_values_through_the_disclosure(plan):
    result = ImportResult(
        updated=["2027-001"],
        changes={
            "2027-001": {
                "confidential": True,
                "fields": {"estimated_value_sek": ["38000000", "40000000"], "title": ["Bilar", "Elbilar"]},
            }
        },
    )
    public = {
        change.name: (change.before, change.after) for change in imports.preview_changes(result, PUBLIC)[0][1]
    }
    assert public == {"estimated_value_sek": ("Sekretess", "Sekretess"), "title": ("Bilar", "Elbilar")}
    centre = {change.name: change.after for change in imports.preview_changes(result, CENTRE)[0][1]}
    assert centre["estimated_value_sek"] == "40\u00a0000\u00a0000\u00a0kr"


def test_an_import_takes_a_swedish_date_as_meant(plan):
    result = plan_import(
        plan=plan, filename="plan.csv", content=csv_bytes([row(**{"Planerad annonsering": "1/2/2027"})])
    )
    assert result.ok, result.errors
    assert Procurement.objects.get().planned_advertisement == date(2027, 2, 1)


def test_the_job_page_of_an_old_job_without_changes_still_lists_the_refs(client_for, officer, plan):
    job = ImportJob.objects.create(
        plan=plan,
        user=officer,
        file="imports/x.csv",
        filename="x.csv",
        status=ImportJob.Status.READY,
        result={"total": 1, "created": [], "updated": ["2027-001"], "unchanged": [], "errors": []},
    )
    page = client_for(officer).get(job.get_absolute_url()).content.decode()
    assert "2027-001" in page and reverse("plans:import_confirm", args=["falun", 2027, job.pk]) in page
