"""
Rescoring a whole plan in the database: the rubric of plans/scoring/rules.py written as SQL expressions, so
that a plan of any size is rescored by one UPDATE statement instead of a round trip per row, which
writes only the rows whose results change (a row written costs far more than a row read: every index
of the table is written too).

plans/scoring/rules.py stays the rubric's one readable statement (and explains each score); this module
must agree with it, which tests/plans/scoring/test_rescoring.py checks on random procurements.
"""

from django.db.models import Case, DecimalField, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, Least, Round
from django.db.models.lookups import GreaterThanOrEqual

from plans.scoring.rules import HIGH, MAX_SCORE, Quadrant, RubricValues


def _points(condition: Q, points: int):
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def _capped(*parts):
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return Greatest(Value(0), Least(Value(MAX_SCORE), total), output_field=IntegerField())


SCORE_NAMES = ("economic_score", "social_score", "environmental_score", "supply_risk_score")


def score_expressions(rubric: RubricValues) -> dict:
    """E, S, M and R for every row, from its inputs (step 1 of plan_rescore)."""
    # A coordinated procurement's E counts the group's combined value (issue 16), where the rubric says so.
    value = (
        Coalesce(F("coordinated_value_sek"), F("estimated_value_sek"))
        if rubric.coordinated_value
        else F("estimated_value_sek")
    )
    economic = Case(
        *[
            When(GreaterThanOrEqual(value, Value(limit)), then=Value(score))
            for limit, score in rubric.economic_bands()
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
    social = _capped(
        _points(Q(employment_requirement=True), rubric.employment_points),
        _points(Q(reserved_contract=True), rubric.reserved_points),
        _points(Q(labour_conditions=True), rubric.labour_points),
        _points(Q(lots=True), rubric.lots_points),
    )
    climate = Case(
        *[When(climate_impact=level, then=Value(points)) for level, points in rubric.climate_points.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    level = Case(
        *[
            When(environmental_level=level, then=Value(points))
            for level, points in rubric.environmental_points.items()
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
    environmental = _capped(climate, level)
    supply_risk = _capped(
        _points(Q(possible_suppliers=1), rubric.single_supplier_points),
        _points(Q(possible_suppliers__gte=2, possible_suppliers__lte=3), rubric.few_suppliers_points),
        _points(Q(business_critical=True), rubric.business_critical_points),
        _points(Q(high_switching_cost=True), rubric.switching_cost_points),
    )
    return {
        "economic_score": economic,
        "social_score": social,
        "environmental_score": environmental,
        "supply_risk_score": supply_risk,
    }


def verdict_expressions(rubric: RubricValues, scores: dict | None = None) -> dict:
    """Quadrant, strategic and priority from the four scores: the stored ones (the default), or the
    expressions that compute them (score_expressions()), so that one UPDATE writes everything."""
    scores = scores or {name: F(name) for name in SCORE_NAMES}

    def at_least(name, level):
        return Q(GreaterThanOrEqual(scores[name], Value(level)))

    high_e = at_least("economic_score", HIGH)
    high_r = at_least("supply_risk_score", HIGH)
    quadrant = Case(
        When(high_e & high_r, then=Value(Quadrant.STRATEGIC)),
        When(high_e, then=Value(Quadrant.LEVERAGE)),
        When(high_r, then=Value(Quadrant.BOTTLENECK)),
        default=Value(Quadrant.ROUTINE),
    )
    strategic = Case(
        When(
            (high_e & high_r)
            | at_least("economic_score", rubric.significant_economic)
            | at_least("social_score", rubric.significant_social)
            | at_least("environmental_score", rubric.significant_environmental)
            | Q(flagged_strategic=True),
            then=Value(True),
        ),
        default=Value(False),
    )
    scale = 100 // MAX_SCORE
    weighted = (
        Value(rubric.weight_economic * scale) * scores["economic_score"]
        + Value(rubric.weight_social * scale) * scores["social_score"]
        + Value(rubric.weight_environmental * scale) * scores["environmental_score"]
        + Value(rubric.weight_risk * scale) * scores["supply_risk_score"]
    )
    decimal = DecimalField(max_digits=6, decimal_places=2)
    priority = Round(weighted, 1, output_field=decimal)
    return {"kraljic": quadrant, "strategic": strategic, "priority": priority}


def rescore_expressions(rubric: RubricValues) -> dict:
    """Every stored result (the four scores, quadrant, strategic, priority) from the row's inputs alone:
    one UPDATE statement rescores a plan."""
    scores = score_expressions(rubric)
    return {**scores, **verdict_expressions(rubric, scores)}


def unchanged(expressions: dict) -> Q:
    """The rows whose stored results already equal these expressions' (every column is NOT NULL)."""
    return Q(**expressions)
