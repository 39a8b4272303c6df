"""The OCDS release's planning.rationale takes the need of the orders a procurement came from (issue 14),
never where the procurement or the order is confidential to the reader (the Disclosure decides)."""

import json

import pytest
from django.urls import reverse

from plans.models import Category, Order
from plans.register.disclosure import CENTRE, PUBLIC
from tests.factories import ProcurementFactory
from tests.plans.exchange.test_ocds import assert_valid, export, release_of

NEED = "Skolmaten ska lagas av ekologiska råvaror; dagens avtal räcker inte till fler kök."


def order_for(procurement, department, *, need=NEED, status="accepted", confidential=False, title="Skolmat"):
    return Order.objects.create(
        plan=procurement.plan,
        department=department,
        title=title,
        need=need,
        category=Category.GOODS,
        estimated_value_sek=1_000_000,
        duration_months=24,
        confidential=confidential,
        status=status,
        procurement=procurement,
    )


def rationale(plan, ref, *, show_confidential=False):
    return release_of(export(plan, show_confidential=show_confidential), ref)["planning"]["rationale"]


def test_a_public_ordered_procurement_gives_the_need_as_its_rationale(falun_plan, serv):
    procurement = ProcurementFactory(plan=falun_plan, ref="2027-MAT", department=serv)
    order_for(procurement, serv)

    package = export(falun_plan)

    assert_valid(package)
    text = release_of(package, "2027-MAT")["planning"]["rationale"]
    assert text.startswith(f"Behov enligt Serviceförvaltningen: {NEED}")
    # The scores still follow, as before the orders.
    assert "Kraljickvadrant:" in text


def test_a_confidential_procurement_gives_no_need_to_the_public(falun_plan, serv):
    procurement = ProcurementFactory(plan=falun_plan, ref="2027-LARM", department=serv, confidential=True)
    order_for(procurement, serv, need="Larmcentralens placering och kapacitet.")

    public = export(falun_plan)

    assert_valid(public)
    assert "Larmcentralens" not in json.dumps(public)
    assert release_of(public, "2027-LARM")["planning"]["rationale"].startswith("Kraljickvadrant:")
    # The centre's own export (the command line) has it.
    assert "Larmcentralens" in rationale(falun_plan, "2027-LARM", show_confidential=True)


@pytest.mark.parametrize(
    ("procurement_secret", "order_secret", "reader", "shown"),
    [
        (False, False, PUBLIC, True),
        (False, False, CENTRE, True),
        (True, False, PUBLIC, False),
        (True, False, CENTRE, True),
        (False, True, PUBLIC, False),
        (False, True, CENTRE, True),
        (True, True, PUBLIC, False),
        (True, True, CENTRE, True),
    ],
)
def test_whether_the_need_is_in_the_rationale(
    falun_plan, serv, procurement_secret, order_secret, reader, shown
):
    procurement = ProcurementFactory(
        plan=falun_plan, ref="2027-X", department=serv, confidential=procurement_secret
    )
    order_for(procurement, serv, confidential=order_secret)

    text = rationale(falun_plan, "2027-X", show_confidential=reader.confidential)

    assert (NEED in text) is shown


def test_a_merged_procurement_gives_each_departments_need_the_first_ordered_first(falun_plan, serv, omv):
    procurement = ProcurementFactory(plan=falun_plan, ref="2027-BIL", department=serv)
    order_for(procurement, serv, need="Fler elbilar i hemtjänsten.", title="Bilar")
    order_for(procurement, omv, need="Laddplatser vid boendena.", status="merged", title="Laddning")
    # A confidential order merged in: the public never reads its need, the others' still.
    order_for(procurement, omv, need="Hemlig placering.", status="merged", confidential=True, title="X")

    text = rationale(falun_plan, "2027-BIL")

    assert text.index("Behov enligt Serviceförvaltningen: Fler elbilar") < text.index(
        "Behov enligt Omvårdnadsförvaltningen: Laddplatser"
    )
    assert "Hemlig placering" not in text


def test_a_procurement_not_ordered_has_only_its_scores_as_rationale(falun_plan, serv):
    ProcurementFactory(plan=falun_plan, ref="2027-001", department=serv)

    assert rationale(falun_plan, "2027-001").startswith("Kraljickvadrant:")


def test_the_public_download_gives_the_need_and_keeps_a_confidential_one(
    client_for, politician, falun_plan, serv
):
    shown = ProcurementFactory(plan=falun_plan, ref="2027-A", department=serv)
    order_for(shown, serv, need="Öppet behov av skolskjuts.")
    hidden = ProcurementFactory(plan=falun_plan, ref="2027-B", department=serv, confidential=True)
    order_for(hidden, serv, need="Sekretessbelagt behov.")

    response = client_for(politician).get(reverse("plans:export", args=["falun", 2027, "json"]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Öppet behov av skolskjuts." in body
    assert "Sekretessbelagt behov." not in body
