"""/oppna-data/, the publication policy that every OCDS package points to (issue 17): public, in the
reader's language, and true to the export it describes (the ocid rule, the licence, the addresses)."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from plans.exchange.ocds import ocid
from plans.models import Plan, Procurement

pytestmark = pytest.mark.django_db


def page(client, language="sv") -> str:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("open_data"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_default_publication_policy_points_to_the_page():
    address = f"{django_settings.SITE_URL}{reverse('open_data')}"
    assert address == django_settings.OCDS_PUBLICATION_POLICY


def test_anyone_reads_what_is_published_and_how(client, falun, settings):
    text = page(client, "en")

    for said in (
        "Adopted procurement plans",
        "when the municipality has chosen to publish its draft",
        "OSL 19:3",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "ocds-upplan",
        f"{settings.SITE_URL}/kommande/export.json",
        "/export.json",
        "live",
        "Upphandlingscenter Falun Borlänge",  # whom to ask, without a contact address
    ):
        assert said in text, said


@pytest.mark.parametrize(("ref", "expected"), [("2027-001", "ocds-upplan-falun-2027-001"), ("14", None)])
def test_the_ocid_examples_are_the_exports_own(client, falun, ref, expected):
    plan = Plan(municipality=falun, year=2027)
    made = ocid(plan, Procurement(plan=plan, ref=ref))

    assert made == (expected or "ocds-upplan-falun-2027-14")
    assert f"<code>{made}</code>" in page(client)


def test_the_settings_change_what_it_says(client, falun, settings):
    settings.OCDS_OCID_PREFIX = "ocds-abc123"
    settings.OCDS_LICENSE = "https://opendatacommons.org/licenses/pddl/1-0/"
    settings.OCDS_CONTACT_EMAIL = "oppnadata@example.se"

    text = page(client)

    assert "<code>ocds-abc123-falun-2027-001</code>" in text
    assert 'href="https://opendatacommons.org/licenses/pddl/1-0/"' in text
    assert 'href="mailto:oppnadata@example.se"' in text
    assert "Upphandlingscenter Falun Borlänge" not in text.split('id="contact-heading"')[1]


def test_without_a_licence_it_says_so(client, settings):
    settings.OCDS_LICENSE = ""

    assert "No licence is stated" in page(client, "en")


def test_swedish_is_the_default(client):
    response = client.get(reverse("open_data"))

    assert '<html lang="sv">' in response.content.decode()
