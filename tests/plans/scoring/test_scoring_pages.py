"""Scores on the plan page, the Kraljic matrix, strategic flags and the rubric page, per role."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.test.html import parse_html
from django.urls import reverse

from plans.models import Procurement, Rubric, StrategicFlag
from tests.conftest import REMISS_DAY
from tests.factories import ProcurementFactory


def plan_url(plan, **params):
    from urllib.parse import urlencode

    url = reverse("plans:plan", kwargs={"municipality": plan.municipality.slug, "year": plan.year})
    return f"{url}?{urlencode(params)}" if params else url


def rubric_url(plan):
    return reverse("plans:rubric", kwargs={"municipality": plan.municipality.slug, "year": plan.year})


def flag_url(procurement):
    plan = procurement.plan
    return reverse(
        "plans:procurement_flag",
        kwargs={"municipality": plan.municipality.slug, "year": plan.year, "ref": procurement.ref},
    )


@pytest.fixture
def scored(falun_plan, serv):
    """Three procurements, one per kind: strategic quadrant, leverage, routine."""
    return {
        "cars": ProcurementFactory(
            plan=falun_plan,
            department=serv,
            ref="2027-001",
            title="Personbilar",
            estimated_value_sek=38_000_000,
            possible_suppliers=3,
            business_critical=True,
            high_switching_cost=True,
        ),
        "food": ProcurementFactory(
            plan=falun_plan,
            department=serv,
            ref="2027-002",
            title="Livsmedel",
            estimated_value_sek=12_000_000,
        ),
        "pens": ProcurementFactory(
            plan=falun_plan, department=serv, ref="2027-003", title="Pennor", estimated_value_sek=300_000
        ),
    }


def test_the_plan_table_shows_the_scores(client_for, officer, scored):
    body = client_for(officer).get(plan_url(scored["cars"].plan)).content.decode()
    assert "Strategisk</span>" in body
    assert "Hävstång</span>" in body
    assert "Rutin</span>" in body
    assert "★" in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kraljic": "strategic"}, {"Personbilar"}),
        ({"kraljic": "leverage"}, {"Livsmedel"}),
        ({"strategic": "true"}, {"Personbilar"}),
        ({"strategic": "false"}, {"Livsmedel", "Pennor"}),
        ({"economic_min": "3"}, {"Personbilar", "Livsmedel"}),
        ({"supply_risk_min": "4"}, {"Personbilar"}),
        ({"priority_min": "45"}, {"Personbilar"}),  # 0.4·4 + 0.2·4 = 2.4 of 5 → 48
    ],
)
def test_score_filters(params, expected, client_for, officer, scored):
    body = client_for(officer).get(plan_url(scored["cars"].plan, **params)).content.decode()
    shown = {title for title in ("Personbilar", "Livsmedel", "Pennor") if f">{title}</a>" in body}
    assert shown == expected


def test_the_quadrant_summary_counts_strategic_procurements(client_for, officer, scored):
    response = client_for(officer).get(plan_url(scored["cars"].plan))
    quadrants = {q["quadrant"]: (q["total"], q["strategic"]) for q in response.context["quadrants"]}
    assert quadrants == {"strategic": (1, 1), "leverage": (1, 0), "bottleneck": (0, 0), "routine": (1, 0)}


def test_the_ranking_orders_by_priority(client_for, officer, scored):
    body = client_for(officer).get(plan_url(scored["cars"].plan, view="ranking")).content.decode()
    assert body.index(">Personbilar<") < body.index(">Livsmedel<") < body.index(">Pennor<")


@pytest.mark.parametrize("role", ["officer", "plan_admin", "politician", "department_rep"])
def test_the_matrix_places_each_procurement_and_links_it(role, users, client_for, scored):
    response = client_for(users[role]).get(plan_url(scored["cars"].plan, view="matrix"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<a href="/plans/falun/2027/2027-') >= 6  # a dot and a table row each
    assert "Strategiska" in body and "Hävstång" in body and "Flaskhals" in body and "Rutin" in body
    dots = {dot.ref: dot for dot in response.context["dots"]}
    assert dots["2027-001"].strategic and dots["2027-001"].quadrant == "strategic"
    # Coordinates are never localised into "12,5" inside the SVG.
    assert 'cx="' in body and not any(
        f'cx="{d.x}"'.replace(".", ",") in body for d in dots.values() if d.x % 1
    )


def _elements(node, name=None):
    for child in getattr(node, "children", []):
        if hasattr(child, "name") and name in (None, child.name):
            yield child
        if hasattr(child, "children"):
            yield from _elements(child, name)


def test_the_matrix_dots_are_links_named_for_their_procurement_and_strategic_ones_carry_their_ref(
    client_for, politician, scored
):
    """Issue 15, fault 10: every dot is a link a keyboard reaches, named by its own <title>; the strategic
    ones are labelled with their reference; no link sits inside an image (axe: nested-interactive)."""
    response = client_for(politician).get(plan_url(scored["cars"].plan, view="matrix"))
    (svg,) = [s for s in _elements(parse_html(response.content.decode()), "svg") if "kraljic" in str(s)[:200]]
    attributes = dict(svg.attributes)
    assert attributes.get("role") != "img"  # an image's children are presentational: no links inside
    dots = [a for a in _elements(svg, "a") if "dot" in dict(a.attributes).get("class", "").split()]
    assert len(dots) == 3
    for dot in dots:
        assert dict(dot.attributes).get("href", "").startswith("/plans/falun/2027/2027-")
        assert "tabindex" not in dict(dot.attributes)  # a link with an address is in the tab order
        title = next(child for child in dot.children if getattr(child, "name", None) == "title")
        ref = dict(dot.attributes)["href"].rstrip("/").rsplit("/", 1)[1]
        assert ref in str(title)
    labels = [
        " ".join(str(text.children[0]).split())
        for group in _elements(svg, "g")
        if "dot-labels" in dict(group.attributes).get("class", "")
        for text in _elements(group, "text")
    ]
    strategic = [d.ref for d in response.context["dots"] if d.strategic]
    assert strategic and sorted(labels) == sorted(strategic)


def test_the_matrix_honours_the_filters(client_for, officer, scored):
    response = client_for(officer).get(plan_url(scored["cars"].plan, view="matrix", kraljic="leverage"))
    assert [dot.ref for dot in response.context["dots"]] == ["2027-002"]


def test_the_matrix_is_404_for_another_municipality(client_for, outsider, scored):
    assert client_for(outsider).get(plan_url(scored["cars"].plan, view="matrix")).status_code == 404


def test_equal_scores_do_not_hide_each_other(client_for, officer, falun_plan, serv):
    ProcurementFactory.create_batch(12, plan=falun_plan, department=serv, estimated_value_sek=6_000_000)
    dots = client_for(officer).get(plan_url(falun_plan, view="matrix")).context["dots"]
    positions = {(dot.x, dot.y) for dot in dots}
    assert len(positions) == 12


def test_the_procurement_page_explains_the_scores(client_for, politician, scored):
    url = scored["cars"].get_absolute_url()
    body = client_for(politician).get(url).content.decode()
    assert "Uppskattat värde 38\u00a0000\u00a0000\u00a0kr ≥ 20\u00a0000\u00a0000\u00a0kr → 4" in body
    assert "Strategisk kvadrant i Kraljicmatrisen" in body
    assert "Krav låses" in body and "2027-01-04" in body  # 2027-03-01 minus 8 weeks


def test_an_officer_flags_and_unflags_with_a_reason(client_for, officer, scored):
    food = scored["food"]
    client = client_for(officer)
    response = client.post(
        flag_url(food), {"flagged": "1", "reason": "Kostpolitiska programmet: 40 % ekologiskt"}
    )
    assert response.status_code == 302
    food.refresh_from_db()
    assert food.flagged_strategic and food.strategic
    body = client.get(food.get_absolute_url()).content.decode()
    assert "Kostpolitiska programmet" in body and "Flaggad som strategisk" in body
    client.post(flag_url(food), {"flagged": "0", "reason": "Hanteras inom befintlig ram"})
    food.refresh_from_db()
    assert not food.flagged_strategic and not food.strategic
    assert list(StrategicFlag.objects.filter(procurement=food).values_list("flagged", "user__username")) == [
        (False, "officer"),
        (True, "officer"),
    ]


def test_a_flag_without_a_reason_is_refused(client_for, officer, scored):
    response = client_for(officer).post(flag_url(scored["food"]), {"flagged": "1", "reason": "   "})
    assert response.status_code == 400
    assert "Ange en motivering" in response.content.decode()
    scored["food"].refresh_from_db()
    assert not scored["food"].flagged_strategic
    assert not StrategicFlag.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("politician", 302), ("department_rep", 403), ("plan_admin", 403)]
)
def test_during_the_remiss_politicians_flag_too(role, status, users, client_for, scored):
    with time_machine.travel(REMISS_DAY):
        response = client_for(users[role]).post(
            flag_url(scored["food"]), {"flagged": "1", "reason": "Viktig"}
        )
    assert response.status_code == status


def test_a_politician_cannot_flag_outside_the_remiss(client_for, politician, scored):
    with time_machine.travel(date(2026, 6, 1)):
        assert (
            client_for(politician).post(flag_url(scored["food"]), {"flagged": "1", "reason": "x"}).status_code
            == 403
        )
    assert not StrategicFlag.objects.exists()


def test_an_outsider_cannot_flag(client_for, outsider, scored):
    with time_machine.travel(REMISS_DAY):
        assert (
            client_for(outsider).post(flag_url(scored["food"]), {"flagged": "1", "reason": "x"}).status_code
            == 404
        )


@pytest.mark.parametrize(
    ("role", "status"),
    [("plan_admin", 200), ("officer", 403), ("politician", 403), ("department_rep", 403), ("outsider", 404)],
)
def test_the_rubric_page_is_for_plan_administrators(role, status, users, client_for, falun_plan):
    assert client_for(users[role]).get(rubric_url(falun_plan)).status_code == status


def rubric_form(plan, **changes):
    rubric = Rubric.objects.get(plan=plan)
    data = {name: str(getattr(rubric, name)) for name in Rubric.EDITABLE_FIELDS}
    data["version"] = rubric.version
    data.update({name: str(value) for name, value in changes.items()})
    return data


def test_changing_a_weight_changes_priorities_across_the_plan_at_once(client_for, plan_admin, scored):
    plan = scored["cars"].plan
    before = dict(Procurement.objects.filter(plan=plan).values_list("ref", "priority"))
    changes = {
        "weight_economic": "1.00",
        "weight_social": "0",
        "weight_environmental": "0",
        "weight_risk": "0",
    }
    response = client_for(plan_admin).post(rubric_url(plan), {**rubric_form(plan, **changes), "save": "1"})
    assert response.status_code == 302
    after = dict(Procurement.objects.filter(plan=plan).values_list("ref", "priority"))
    assert after == {"2027-001": Decimal("80.0"), "2027-002": Decimal("60.0"), "2027-003": Decimal("0.0")}
    assert after != before
    rubric = Rubric.objects.get(plan=plan)
    assert rubric.updated_by == plan_admin and rubric.version == 2


def test_the_preview_counts_what_would_move_and_saves_nothing(client_for, plan_admin, scored):
    plan = scored["cars"].plan
    response = client_for(plan_admin).post(
        rubric_url(plan), {**rubric_form(plan, economic_limit_3=15_000_000), "preview": "1"}
    )
    preview = response.context["preview"]
    assert (preview.total, preview.quadrant_changes, preview.strategic_gained, preview.strategic_lost) == (
        3,
        1,
        0,
        0,
    )
    assert [row[0] for row in preview.changed] == ["2027-002"]  # 12 MSEK drops from leverage to routine
    assert Rubric.objects.get(plan=plan).economic_limit_3 == 5_000_000
    assert Procurement.objects.get(ref="2027-002").kraljic == "leverage"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"eu_threshold": 600_000}, "eu_threshold", "högre än gränsen före"),
        ({"economic_limit_5": 20_000_000}, "economic_limit_5", "högre än gränsen före"),
        ({"weight_economic": "0.50"}, None, "summera till 1"),
        ({"weight_economic": "-0.20", "weight_social": "0.80"}, "weight_economic", "negativ"),
        ({"employment_points": 6}, "employment_points", "från 0 till 5"),
        ({"significant_social": 0}, "significant_social", "från 1 till 5"),
        ({"freeze_lead_weeks": 60}, "freeze_lead_weeks", "0 till 52"),
        ({"direct_award_limit": "sjuhundra"}, "direct_award_limit", "belopp"),
    ],
)
def test_an_unsound_rubric_is_refused_with_the_reason_beside_the_field(
    changes, field, message, client_for, plan_admin, scored
):
    plan = scored["cars"].plan
    response = client_for(plan_admin).post(rubric_url(plan), {**rubric_form(plan, **changes), "save": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    anchor = f'id="id_{field}_error"' if field else 'class="form-errors"'
    assert anchor in body
    assert message in body[body.index(anchor) : body.index(anchor) + 400]
    assert Rubric.objects.get(plan=plan).version == 1


def test_an_adopted_plan_refuses_a_rubric_change(client_for, plan_admin, adopted_plan):
    client = client_for(plan_admin)
    page = client.get(rubric_url(adopted_plan)).content.decode()
    assert "kan inte längre ändras" in page
    response = client.post(
        rubric_url(adopted_plan), {**rubric_form(adopted_plan, weight_economic="0.70"), "save": "1"}
    )
    assert response.status_code == 403
    assert Rubric.objects.get(plan=adopted_plan).weight_economic == Decimal("0.40")


def test_a_stale_rubric_edit_is_refused(client_for, plan_admin, scored):
    plan = scored["cars"].plan
    stale = rubric_form(plan, significant_social=4)
    client = client_for(plan_admin)
    client.post(rubric_url(plan), {**rubric_form(plan, significant_social=2), "save": "1"})
    response = client.post(rubric_url(plan), {**stale, "save": "1"})
    body = response.content.decode()
    assert "Någon annan ändrade" in body
    assert "Sparat av någon annan" in body  # both versions side by side
    assert Rubric.objects.get(plan=plan).significant_social == 2


@pytest.mark.django_db
def test_the_demo_plan_identifies_its_strategic_procurements():
    call_command("load_demo", verbosity=0)
    plan = Procurement.objects.filter(plan__year=2017).first().plan
    strategic = Procurement.objects.filter(plan=plan, strategic=True)
    assert 15 <= strategic.count() <= 25
    for title in ("Personbilar", "Samdistribution"):
        procurement = Procurement.objects.get(plan=plan, title__startswith=title)
        assert procurement.kraljic == "strategic" and procurement.strategic, title
    for title in ("Arbetskläder", "Tvätt"):
        procurement = (
            Procurement.objects.filter(plan=plan, title__icontains=title).order_by("-social_score").first()
        )
        assert procurement.social_score >= 3 and procurement.strategic, title
