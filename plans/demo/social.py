"""The demo's social enterprises, labour reserve and decisions (issue 18), from data/social.json.

Modelled on the minutes (§ 2, § 5): the enterprises that have told the centre what they can deliver
(laundry, park and green-space maintenance, litter picking, workwear, and one that gives only a category),
Falun's labour reserve of 2017 (2 547 people outside the labour market, 800 of them reached by AIK), and
what the officer decided on the matches of Falun's coming plan. A second run adds nothing: enterprises
are found by organisation number, the reserve by year, and a procurement with a decision keeps it."""

import json
from pathlib import Path

from plans.demo.files import DemoDataError
from plans.demo.years import moved_ref
from plans.models import LabourReserve, Plan, Procurement, SocialDecision, SocialEnterprise
from plans.social.decisions import decision_record

DATA = Path(__file__).resolve().parent / "data" / "social.json"


def social_data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def demo_enterprises(centre, municipalities: dict, rows: list) -> list[SocialEnterprise]:
    enterprises = []
    for row in rows:
        fields = {key: value for key, value in row.items() if key not in ("org_number", "municipality")}
        enterprise, _ = SocialEnterprise.objects.get_or_create(
            centre=centre,
            org_number=row["org_number"],
            defaults={"municipality": municipalities[row["municipality"]], **fields},
        )
        enterprise.full_clean()
        enterprises.append(enterprise)
    return enterprises


def demo_labour_reserve(municipalities: dict, rows: list) -> None:
    for row in rows:
        LabourReserve.objects.get_or_create(
            municipality=municipalities[row["municipality"]],
            year=row["year"],
            defaults={
                "outside": row["outside"],
                "reached": row.get("reached"),
                "source": row.get("source", ""),
            },
        )


def demo_decisions(plan: Plan, rows: list, *, users: dict, written_for: int) -> None:
    """The officer's decisions on the coming plan's matches, through the same service as the page."""
    for row in rows:
        ref = moved_ref(row["ref"], written_for, plan.year)
        procurement = Procurement.objects.filter(plan=plan, ref=ref).first()
        if procurement is None:
            raise DemoDataError(f"social.json: {plan} has no procurement {ref}")
        if SocialDecision.objects.filter(procurement=procurement).exists():
            continue
        decision_record(
            procurement=procurement,
            decision=row["decision"],
            reason=row["reason"],
            expected_version=0,
            user=users[row["by"]],
        )
