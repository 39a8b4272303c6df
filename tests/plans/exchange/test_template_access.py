"""The import template goes to those who may import (officers, until adoption), like the import itself."""

import pytest
from django.urls import reverse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 200),
        ("plan_admin", 403),  # keeps the plan, does not import into it
        ("politician", 403),
        ("department_rep", 403),  # orders go through the order import, with its own template
        ("outsider", 404),  # Falun's draft does not exist for Borlänge
        ("anonymous", 302),
    ],
)
def test_only_an_officer_downloads_a_draft_plans_import_template(client_for, users, falun_plan, role, status):
    response = client_for(users[role]).get(reverse("plans:import_template", args=["falun", 2027]))
    assert response.status_code == status
    assert (response["Content-Type"] == XLSX) == (status == 200)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role", ["officer", "plan_admin", "politician", "department_rep", "outsider", "anonymous"]
)
def test_nobody_downloads_an_adopted_plans_import_template(client_for, users, adopted_plan, role):
    response = client_for(users[role]).get(reverse("plans:import_template", args=["falun", 2017]))
    assert response.status_code == 403
    assert response["Content-Type"] != XLSX
