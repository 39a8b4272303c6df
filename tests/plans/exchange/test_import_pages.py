"""Importing on the web: upload, preview with every error, confirm; per role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import ImportJob, Procurement
from tests.factories import ProcurementFactory
from tests.plans.exchange.test_imports import csv_bytes, row


def import_url(plan):
    return reverse("plans:import", kwargs={"municipality": plan.municipality.slug, "year": plan.year})


def upload(client, plan, content, name="plan.csv", **extra):
    return client.post(import_url(plan), {"file": SimpleUploadedFile(name, content), **extra})


pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def client_for(client_for, django_capture_on_commit_callbacks):
    """The test client, with the tasks queued on commit run as a request ends (as without a broker)."""

    class RunsOnCommit:
        def __init__(self, client):
            self.client = client

        def post(self, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return self.client.post(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.client, name)

    return lambda user: RunsOnCommit(client_for(user))


@pytest.mark.parametrize(
    ("role", "status"),
    [("officer", 200), ("plan_admin", 403), ("politician", 403), ("department_rep", 403), ("outsider", 404)],
)
def test_the_import_page_is_for_officers(role, status, users, client_for, falun_plan):
    assert client_for(users[role]).get(import_url(falun_plan)).status_code == status


@pytest.mark.parametrize("role", ["plan_admin", "politician", "department_rep", "outsider"])
def test_others_cannot_upload(role, users, client_for, falun_plan, serv):
    response = upload(client_for(users[role]), falun_plan, csv_bytes([row()]))
    assert response.status_code in {403, 404}
    assert not ImportJob.objects.exists()


def test_upload_preview_confirm(client_for, officer, falun_plan, serv):
    client = client_for(officer)
    response = upload(client, falun_plan, csv_bytes([row(), row(Ref="2027-002")]))
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == ImportJob.Status.READY  # checked in-process (no broker in tests)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Bekräfta importen" in page and "att skapa" in page
    assert not Procurement.objects.exists()  # nothing written before the confirmation
    client.post(reverse("plans:import_confirm", args=["falun", 2027, job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Procurement.objects.filter(plan=falun_plan).count() == 2


def test_the_preview_shows_a_changed_cpv_code_with_its_labels(client_for, officer, falun_plan, serv):
    ProcurementFactory(plan=falun_plan, department=serv, ref="2027-001", cpv="03220000")
    client = client_for(officer)
    # As the Swedish export writes the code; the file changes it.
    upload(client, falun_plan, csv_bytes([row(CPV='="34110000"')]))
    page = client.get(ImportJob.objects.get().get_absolute_url()).content.decode()
    assert (
        '<td>03220000 <span class="muted" lang="en">Vegetables, fruits and nuts</span></td>'
        '<td>34110000 <span class="muted" lang="en">Passenger cars</span></td>'
    ) in page


def test_a_file_with_an_error_lists_it_with_its_line_and_cannot_be_confirmed(
    client_for, officer, falun_plan, serv
):
    client = client_for(officer)
    upload(client, falun_plan, csv_bytes([row(), row(Ref="2027-002", Benämning="")]))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED
    page = client.get(job.get_absolute_url()).content.decode()
    assert '<td class="num">3</td><td>Benämning saknas</td>' in page
    assert "Bekräfta importen" not in page
    client.post(reverse("plans:import_confirm", args=["falun", 2027, job.pk]))
    assert not Procurement.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_message(client_for, officer, falun_plan):
    client = client_for(officer)
    upload(client, falun_plan, b"\x89PNG\r\n\x1a\n", name="plan.xlsx")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED
    assert "inte en läsbar Excelarbetsbok" in client.get(job.get_absolute_url()).content.decode()


def test_a_wrong_extension_is_refused_beside_the_field(client_for, officer, falun_plan):
    response = upload(client_for(officer), falun_plan, b"x", name="plan.pdf")
    assert response.status_code == 200
    assert "Ladda upp en Excelfil" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_read(client_for, officer, falun_plan, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(client_for(officer), falun_plan, b"x" * 200)
    assert "större än" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_status_fragment_for_htmx(client_for, officer, falun_plan, serv):
    client = client_for(officer)
    upload(client, falun_plan, csv_bytes([row()]))
    job = ImportJob.objects.get()
    fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section id="import-status"')
    assert "<html" not in fragment


def test_a_busy_job_polls_and_shows_progress(client_for, officer, falun_plan):
    from django.core.cache import cache

    job = ImportJob.objects.create(plan=falun_plan, user=officer, file="imports/x.csv", filename="x.csv")
    cache.set(job.progress_key, {"done": 500, "total": 2000})
    page = client_for(officer).get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'value="25"' in page and "500 av 2000 rader" in page


def test_confirming_twice_imports_once(client_for, officer, falun_plan, serv):
    client = client_for(officer)
    upload(client, falun_plan, csv_bytes([row()]))
    job = ImportJob.objects.get()
    confirm = reverse("plans:import_confirm", args=["falun", 2027, job.pk])
    client.post(confirm)
    response = client.post(confirm, follow=True)
    assert "väntar inte på bekräftelse" in response.content.decode()
    assert Procurement.objects.count() == 1


def test_another_plans_job_is_not_found(client_for, officer, falun_plan, adopted_plan):
    job = ImportJob.objects.create(plan=adopted_plan, user=officer, file="imports/x.csv", filename="x.csv")
    url = reverse("plans:import_job", args=["falun", 2027, job.pk])
    assert client_for(officer).get(url).status_code == 404


def test_an_adopted_plan_cannot_be_imported_into(client_for, officer, adopted_plan):
    assert client_for(officer).get(import_url(adopted_plan)).status_code == 403
