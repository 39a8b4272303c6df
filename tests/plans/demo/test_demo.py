import difflib
import json
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Membership, Role, User
from plans.demo import DATA, coming_year_window, load_demo
from plans.models import Comment, Guidance, HistoryEntry, Outcome, Plan, Procurement
from tests.plans.demo.fingerprint import FINGERPRINT_FILE, FINGERPRINT_TODAY, as_json, demo_fingerprint


def snapshot():
    """Every demo row, with its timestamps, so that a second run can be seen to change nothing."""
    return (
        list(Plan.objects.order_by("pk").values()),
        list(Procurement.objects.order_by("pk").values()),
        list(Outcome.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values("pk", "username", "password", "email")),
        list(Membership.objects.order_by("pk").values()),
        HistoryEntry.objects.count(),
        Comment.objects.count(),
        Guidance.objects.count(),
    )


def assert_same_json(expected: str, actual: str):
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm="", n=2
        )
        pytest.fail("The demo differs from its fingerprint:\n" + "\n".join(list(diff)[:80]))


@pytest.mark.django_db
def test_the_demo_loads_falun_2017_with_its_99_orders_and_is_idempotent():
    with time_machine.travel(date(2026, 11, 26)):
        call_command("load_demo", verbosity=0)
        first = snapshot()
        call_command("load_demo", verbosity=0)
        assert snapshot() == first

    falun_2017 = Plan.objects.get(municipality__slug="falun", year=2017)
    assert falun_2017.procurements.count() == 99
    assert falun_2017.phase == "awaiting_decision"  # open to the officers' corrections
    cars = falun_2017.procurements.get(title__icontains="personbilar")
    assert cars.current_contract_ends == date(2018, 5, 14)
    assert falun_2017.procurements.filter(title__icontains="samdistribution").exists()


@pytest.mark.django_db
def test_the_demo_is_what_it_was_before_it_became_data_files():
    """Plans, procurements, scores, outcomes, targets, remiss activity, users: exactly the fingerprint
    taken of the demo as it was built in Python (history left out: the import records its own)."""
    with time_machine.travel(FINGERPRINT_TODAY, tick=False):
        result = load_demo(today=FINGERPRINT_TODAY)
        actual = as_json(demo_fingerprint())
    assert_same_json(FINGERPRINT_FILE.read_text(encoding="utf-8"), actual)
    assert [(plan.municipality.slug, plan.year) for plan in result.created_plans] == [
        ("falun", 2017),
        ("falun", 2014),
        ("falun", 2015),
        ("falun", 2016),
        ("falun", 2027),
        ("borlange", 2027),
    ]


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_a_reset_builds_the_same_demo_again():
    expected = FINGERPRINT_FILE.read_text(encoding="utf-8")
    with time_machine.travel(FINGERPRINT_TODAY, tick=False):
        load_demo(today=FINGERPRINT_TODAY)
        first = snapshot()
        assert load_demo(today=FINGERPRINT_TODAY).created_plans == []
        assert snapshot() == first
        assert len(load_demo(today=FINGERPRINT_TODAY, reset=True).created_plans) == 6
        assert_same_json(expected, as_json(demo_fingerprint()))


@pytest.mark.django_db
def test_the_demo_records_its_imports_in_the_history():
    with time_machine.travel(FINGERPRINT_TODAY, tick=False):
        load_demo(today=FINGERPRINT_TODAY)
    plan = Plan.objects.get(municipality__slug="falun", year=2017)
    imported = HistoryEntry.objects.filter(plan=plan, action=HistoryEntry.Action.IMPORTED)
    assert imported.count() == 99
    assert set(imported.values_list("changes__note", flat=True)) == {"falun-2017.csv"}


@pytest.mark.django_db
def test_there_is_one_demo_user_per_role():
    call_command("load_demo", verbosity=0)
    roles = {m.user.username: m.role for m in Membership.objects.select_related("user")}
    assert roles["upphandlare"] == Role.OFFICER
    assert roles["planadmin"] == Role.PLAN_ADMIN
    assert roles["politiker"] == Role.POLITICIAN
    assert roles["lugi"] == Role.DEPARTMENT_REP
    assert roles["politiker-borlange"] == Role.POLITICIAN
    assert User.objects.get(username="upphandlare").check_password("demo")


@pytest.mark.parametrize(
    "today", [date(2026, 3, 1), date(2026, 8, 1), date(2026, 11, 26), date(2026, 12, 20)]
)
def test_the_coming_years_plan_is_on_remiss_the_day_the_demo_is_loaded(today, db):
    with time_machine.travel(today):
        call_command("load_demo", verbosity=0)
        coming = Plan.objects.get(municipality__slug="falun", year=today.year + 1)
        assert coming.phase == "remiss"
        assert Plan.objects.get(municipality__slug="borlange", year=today.year + 1).phase == "remiss"
        assert coming.procurements.count() >= 25


def _moved_back(fields: dict, years: int) -> dict:
    """A fingerprinted procurement of the 2027 plan as it should be when loaded for 2027 + years."""
    moved = dict(fields)
    moved["ref"] = fields["ref"].replace("2027-", f"{2027 + years}-", 1)
    for name in ("planned_advertisement", "current_contract_ends"):
        if fields[name]:
            day = date.fromisoformat(fields[name])
            moved[name] = day.replace(year=day.year + years).isoformat()
    return moved


@pytest.mark.parametrize("today", [date(2025, 9, 15), date(2027, 9, 15), date(2031, 10, 1)])
def test_the_coming_years_plans_are_the_2027_files_moved_to_the_coming_year(today, db):
    """Loaded a year early (2026), a year late (2028, a leap year) or later: the same plans, their refs
    and dates moved by the difference, with the same scores and the same remiss activity."""
    expected = {
        plan["municipality"]: plan
        for plan in json.loads(FINGERPRINT_FILE.read_text(encoding="utf-8"))["plans"]
        if plan["year"] == 2027
    }
    years = today.year + 1 - 2027
    with time_machine.travel(today, tick=False):
        load_demo(today=today)
        fingerprint = {
            plan["municipality"]: plan
            for plan in demo_fingerprint()["plans"]
            if plan["year"] == today.year + 1
        }
    for slug in ("falun", "borlange"):
        moved = {
            ref.replace("2027-", f"{today.year + 1}-", 1): _moved_back(fields, years)
            for ref, fields in expected[slug]["procurements"].items()
        }
        assert fingerprint[slug]["procurements"] == moved
    falun = fingerprint["falun"]
    assert [(c["ref"], c["text"][:20]) for c in falun["comments"]] == [
        (c["ref"].replace("2027-", f"{today.year + 1}-"), c["text"][:20])
        for c in expected["falun"]["comments"]
    ]
    assert len(falun["guidance"]) == 3 and len(falun["confirmations"]) == 1
    assert falun["snapshot"] is not None


@pytest.mark.parametrize(
    ("today", "window"),
    [
        (date(2026, 9, 1), (date(2026, 8, 1), date(2026, 11, 30))),  # inside the default window
        (date(2026, 12, 20), (date(2026, 11, 5), date(2027, 3, 5))),  # outside it: a window around today
    ],
)
def test_coming_year_window(today, window):
    assert coming_year_window(today) == window


@pytest.mark.django_db
def test_reset_rebuilds_the_demo_plans():
    call_command("load_demo", verbosity=0)
    Procurement.objects.filter(plan__year=2017).first().delete()
    call_command("load_demo", verbosity=0)
    assert Procurement.objects.filter(plan__year=2017).count() == 98
    call_command("load_demo", "--reset", verbosity=0)
    assert Procurement.objects.filter(plan__year=2017).count() == 99


@pytest.mark.django_db
def test_every_demo_file_is_a_file_an_officer_can_import(capsys):
    """As it is, with `import_plan` (here a dry run into a later year, so that every row is new)."""
    call_command("load_demo", verbosity=0)
    paths = sorted(DATA.glob("*.csv"))
    assert len(paths) == 6
    for path in paths:
        rows = len(path.read_text(encoding="utf-8-sig").splitlines()) - 1
        municipality = path.name.split("-")[0]
        call_command("import_plan", str(path), municipality=municipality, year=2040, dry_run=True)
        assert f": {rows} " in capsys.readouterr().out, path.name


@pytest.mark.django_db
def test_a_file_the_import_refuses_stops_the_whole_demo(tmp_path, monkeypatch):
    import shutil

    from django.core.management.base import CommandError

    from plans.demo import loader

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "falun-2016.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(";60100000;", ";601;", 1), encoding="utf-8")
    monkeypatch.setattr(loader, "DATA", data)
    with pytest.raises(CommandError, match=r"falun-2016\.csv does not import .*: rad \d+: CPV"):
        call_command("load_demo", verbosity=0)
    assert not Plan.objects.exists()
    assert not User.objects.exists()
