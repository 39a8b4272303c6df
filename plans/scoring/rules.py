"""
The scoring rubric (DESIGN §3): from a procurement's inputs and its plan's rubric to four scores, a
Kraljic quadrant, strategic-or-not, a priority and the requirements-freeze date, each with the
reasons that made it. Plain values in, plain values out: no ORM, no request.

1. Economic weight E, from the estimated total contract value V:
   V below the direct-award limit → 0, below the EU threshold → 1, below 5 MSEK → 2,
   below 20 MSEK → 3, below 100 MSEK → 4, otherwise 5.
   A coordinated procurement (issue 16) is bought once for all its municipalities: V is the group's
   combined value, unless the rubric's setting says otherwise (on by default).
2. Social weight S: employment requirement +2, reserved for social enterprises +2,
   labour-law conditions +1, divided into lots +1; at most 5.
3. Environmental weight M: the category's climate impact (low 0, medium 1, high 2) plus the level of
   environmental requirements (none 0, bas 1, avancerad 2, spjutspets 3); at most 5.
4. Supply risk R: one possible supplier +2, two or three +1; business-critical +2;
   high switching cost or lock-in +1; at most 5.
5. Kraljic quadrant from E and R, where high means ≥ 3: both high → strategic; high E only →
   leverage; high R only → bottleneck; neither → routine.
6. Strategic for review when the quadrant is strategic, or E, S or M reaches its "significant"
   level (defaults 4, 3, 4), or someone has flagged it strategic.
7. Priority 0–100: the weighted sum of E, S, M and R (default weights 0.4, 0.2, 0.2, 0.2) scaled
   from 0–5 to 0–100, with one decimal.
8. Requirements freeze: the planned advertisement minus the lead time (default 8 weeks).

Every number above is a setting of the plan's rubric (`RubricValues`); the defaults are DESIGN's.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from plans.formatting import format_sek

MAX_SCORE = 5
HIGH = 3  # a score of 3 or more is "high" on a Kraljic axis


class Quadrant:
    """Kraljic quadrants; the values are stored on procurements."""

    STRATEGIC = "strategic"
    LEVERAGE = "leverage"
    BOTTLENECK = "bottleneck"
    ROUTINE = "routine"

    labels = {
        STRATEGIC: gettext_lazy("Strategic"),
        LEVERAGE: gettext_lazy("Leverage"),
        BOTTLENECK: gettext_lazy("Bottleneck"),
        ROUTINE: gettext_lazy("Routine"),
    }
    choices = list(labels.items())
    ordered = [STRATEGIC, LEVERAGE, BOTTLENECK, ROUTINE]


@dataclass(frozen=True)
class RubricValues:
    """A plan's rubric. Defaults: DESIGN §3 (direct-award limit per LOU since February 2022)."""

    direct_award_limit: int = 700_000
    eu_threshold: int = 2_389_585
    economic_limit_3: int = 5_000_000
    economic_limit_4: int = 20_000_000
    economic_limit_5: int = 100_000_000
    employment_points: int = 2
    reserved_points: int = 2
    labour_points: int = 1
    lots_points: int = 1
    climate_points: dict = field(default_factory=lambda: {"low": 0, "medium": 1, "high": 2})
    environmental_points: dict = field(
        default_factory=lambda: {"none": 0, "bas": 1, "avancerad": 2, "spjutspets": 3}
    )
    single_supplier_points: int = 2
    few_suppliers_points: int = 1
    business_critical_points: int = 2
    switching_cost_points: int = 1
    significant_economic: int = 4
    significant_social: int = 3
    significant_environmental: int = 4
    weight_economic: Decimal = Decimal("0.40")
    weight_social: Decimal = Decimal("0.20")
    weight_environmental: Decimal = Decimal("0.20")
    weight_risk: Decimal = Decimal("0.20")
    freeze_lead_weeks: int = 8
    # Issue 16: a coordinated procurement's E is scored on the group's combined value.
    coordinated_value: bool = True

    def economic_bands(self) -> list[tuple[int, int]]:
        """(lower limit, score) from the top band down."""
        return [
            (self.economic_limit_5, 5),
            (self.economic_limit_4, 4),
            (self.economic_limit_3, 3),
            (self.eu_threshold, 2),
            (self.direct_award_limit, 1),
        ]


@dataclass(frozen=True)
class Inputs:
    """What the rubric reads from one procurement."""

    estimated_value_sek: int
    possible_suppliers: int | None = None
    business_critical: bool = False
    high_switching_cost: bool = False
    employment_requirement: bool = False
    reserved_contract: bool = False
    labour_conditions: bool = False
    lots: bool = False
    climate_impact: str = "low"
    environmental_level: str = "none"
    flagged_strategic: bool = False
    planned_advertisement: date | None = None
    # Issue 16: in a coordinated procurement, the group's combined value and how many other
    # municipalities take part (None and 0 outside a group).
    coordinated_value_sek: int | None = None
    coordinated_with: int = 0

    @classmethod
    def of(cls, procurement) -> "Inputs":
        return cls(**{name: getattr(procurement, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Score:
    value: int
    # What contributed, in the user's language: "Uppskattat värde 12 400 000 kr ≥ 5 000 000 kr → 3".
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    economic: Score
    social: Score
    environmental: Score
    supply_risk: Score
    quadrant: str
    strategic: bool
    strategic_reasons: tuple[str, ...]
    priority: Decimal
    freeze_date: date | None

    def stored_values(self) -> dict:
        """The fields kept on the procurement, so that the plan table sorts and filters on them."""
        return {
            "economic_score": self.economic.value,
            "social_score": self.social.value,
            "environmental_score": self.environmental.value,
            "supply_risk_score": self.supply_risk.value,
            "kraljic": self.quadrant,
            "strategic": self.strategic,
            "priority": self.priority,
        }


def capped(points: int) -> int:
    return max(0, min(MAX_SCORE, points))


def scored_value(inputs: "Inputs", rubric: RubricValues) -> tuple[int, bool]:
    """The value E is scored on, and whether it is a coordinated group's combined value."""
    if rubric.coordinated_value and inputs.coordinated_with and inputs.coordinated_value_sek is not None:
        return inputs.coordinated_value_sek, True
    return inputs.estimated_value_sek, False


def coordinated_label(others: int) -> str:
    """ "samordnad med 2 andra kommuner" """
    return ngettext(
        "coordinated with %(count)d other municipality",
        "coordinated with %(count)d other municipalities",
        others,
    ) % {"count": others}


def format_msek(value: int) -> str:
    """An amount in millions with one decimal, as the reasons name a group's value: "6,2 Mkr"."""
    millions = (Decimal(value) / 1_000_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _("%(amount)s MSEK") % {"amount": formats.number_format(millions, 1)}


def coordinated_economic_score(inputs: "Inputs", rubric: RubricValues) -> Score:
    """E from the inputs: the group's combined value for a coordinated procurement (the reason says so:
    "Samordnad med 2 andra kommuner: 6,2 Mkr ≥ 5 Mkr → 3"), else the procurement's own value."""
    value, coordinated = scored_value(inputs, rubric)
    if not coordinated:
        return economic_score(value, rubric)
    limit, score = value_band(value, rubric)
    prefix = _("%(coordinated)s: %(value)s") % {
        "coordinated": capfirst(coordinated_label(inputs.coordinated_with)),
        "value": format_msek(value),
    }
    # The band's limit named as the rubric page names it, in the unit of the group's value.
    if limit is None:
        comparison = _("below %(limit)s → 0") % {"limit": limit_name(rubric.direct_award_limit, rubric)}
    else:
        comparison = _("≥ %(limit)s → %(score)d") % {"limit": limit_name(limit, rubric), "score": score}
    return Score(score, (prefix + " " + comparison,))


def value_band(value: int, rubric: RubricValues) -> tuple[int | None, int]:
    """(the band limit the value reaches, E): None and 0 below the direct-award limit."""
    for limit, score in rubric.economic_bands():
        if value >= limit:
            return limit, score
    return None, 0


def economic_score(value: int, rubric: RubricValues) -> Score:
    limit, score = value_band(value, rubric)
    if limit is not None:
        reason = _("Estimated value %(value)s ≥ %(limit)s → %(score)d") % {
            "value": format_sek(value),
            "limit": format_sek(limit),
            "score": score,
        }
        return Score(score, (reason,))
    reason = _("Estimated value %(value)s below the direct-award limit %(limit)s → 0") % {
        "value": format_sek(value),
        "limit": format_sek(rubric.direct_award_limit),
    }
    return Score(0, (reason,))


def limit_name(limit: int, rubric: RubricValues) -> str:
    """A band limit as the rubric page names it: "the EU threshold", "5 MSEK"."""
    if limit == rubric.direct_award_limit:
        return _("the direct-award limit")
    if limit == rubric.eu_threshold:
        return _("the EU threshold")
    millions = Decimal(limit) / 1_000_000
    whole = millions == millions.to_integral()
    amount = formats.number_format(int(millions) if whole else millions.normalize())
    return _("%(amount)s MSEK") % {"amount": amount}


def economic_band(score: int, rubric: RubricValues) -> str:
    """The band of an economic score in words, without the value: "between the EU threshold and 5 MSEK".
    What a viewer reads where the value itself is confidential."""
    limits = [limit for limit, _score in reversed(rubric.economic_bands())]  # ascending, E 1 … E 5
    if score <= 0:
        return _("below %(limit)s") % {"limit": limit_name(limits[0], rubric)}
    if score >= len(limits):
        return _("%(limit)s or more") % {"limit": limit_name(limits[-1], rubric)}
    return _("between %(lower)s and %(upper)s") % {
        "lower": limit_name(limits[score - 1], rubric),
        "upper": limit_name(limits[score], rubric),
    }


def economic_band_reason(score: int, rubric: RubricValues, coordinated_with: int = 0) -> str:
    """The reason for E where the value is confidential: its band, never the value (OSL 19:3). For a
    coordinated procurement, the band of the group's combined value (whose parts another municipality's
    draft or a confidential value may be)."""
    if coordinated_with and rubric.coordinated_value:
        return _("%(coordinated)s: combined value %(band)s → %(score)d") % {
            "coordinated": capfirst(coordinated_label(coordinated_with)),
            "band": economic_band(score, rubric),
            "score": score,
        }
    return _("Estimated value %(band)s → %(score)d") % {"band": economic_band(score, rubric), "score": score}


def _summed(parts: list[tuple[bool, int, str]]) -> Score:
    reasons = [f"{label} +{points}" for applies, points, label in parts if applies and points]
    total = sum(points for applies, points, _label in parts if applies)
    if total > MAX_SCORE:
        reasons.append(_("Capped at %(max)d") % {"max": MAX_SCORE})
    if not reasons:
        reasons.append(_("Nothing that counts → 0"))
    return Score(capped(total), tuple(reasons))


def social_score(inputs: Inputs, rubric: RubricValues) -> Score:
    return _summed(
        [
            (inputs.employment_requirement, rubric.employment_points, _("Employment requirement")),
            (inputs.reserved_contract, rubric.reserved_points, _("Reserved for social enterprises")),
            (inputs.labour_conditions, rubric.labour_points, _("Labour-law conditions")),
            (inputs.lots, rubric.lots_points, _("Divided into lots")),
        ]
    )


CLIMATE_LABELS = {"low": gettext_lazy("low"), "medium": gettext_lazy("medium"), "high": gettext_lazy("high")}
ENVIRONMENTAL_LABELS = {
    "none": gettext_lazy("none"),
    "bas": gettext_lazy("bas"),
    "avancerad": gettext_lazy("avancerad"),
    "spjutspets": gettext_lazy("spjutspets"),
}


def environmental_score(inputs: Inputs, rubric: RubricValues) -> Score:
    climate = rubric.climate_points.get(inputs.climate_impact, 0)
    level = rubric.environmental_points.get(inputs.environmental_level, 0)
    climate_label = _("Climate impact %(level)s") % {"level": CLIMATE_LABELS.get(inputs.climate_impact, "?")}
    level_label = _("Environmental requirements %(level)s") % {
        "level": ENVIRONMENTAL_LABELS.get(inputs.environmental_level, "?")
    }
    return _summed([(True, climate, climate_label), (True, level, level_label)])


def supply_risk_score(inputs: Inputs, rubric: RubricValues) -> Score:
    suppliers = inputs.possible_suppliers
    return _summed(
        [
            (suppliers == 1, rubric.single_supplier_points, _("One possible supplier")),
            (
                suppliers is not None and 2 <= suppliers <= 3,
                rubric.few_suppliers_points,
                _("%(count)s possible suppliers") % {"count": suppliers},
            ),
            (inputs.business_critical, rubric.business_critical_points, _("Business-critical")),
            (inputs.high_switching_cost, rubric.switching_cost_points, _("High switching cost or lock-in")),
        ]
    )


def kraljic_quadrant(economic: int, supply_risk: int) -> str:
    high_e, high_r = economic >= HIGH, supply_risk >= HIGH
    if high_e and high_r:
        return Quadrant.STRATEGIC
    if high_e:
        return Quadrant.LEVERAGE
    if high_r:
        return Quadrant.BOTTLENECK
    return Quadrant.ROUTINE


def strategic_reasons(
    *, economic: int, social: int, environmental: int, quadrant: str, flagged: bool, rubric: RubricValues
) -> tuple[str, ...]:
    """Why a procurement is strategic for review; empty when it is not."""
    reasons = []
    if quadrant == Quadrant.STRATEGIC:
        reasons.append(
            _("Strategic quadrant of the Kraljic matrix (high economic weight and high supply risk)")
        )
    if economic >= rubric.significant_economic:
        reasons.append(
            _("Significant economic value (E %(score)d ≥ %(level)d)")
            % {"score": economic, "level": rubric.significant_economic}
        )
    if social >= rubric.significant_social:
        reasons.append(
            _("Significant social requirements (S %(score)d ≥ %(level)d)")
            % {"score": social, "level": rubric.significant_social}
        )
    if environmental >= rubric.significant_environmental:
        reasons.append(
            _("Significant environmental requirements (M %(score)d ≥ %(level)d)")
            % {"score": environmental, "level": rubric.significant_environmental}
        )
    if flagged:
        reasons.append(_("Flagged strategic"))
    return tuple(reasons)


def priority(
    *, economic: int, social: int, environmental: int, supply_risk: int, rubric: RubricValues
) -> Decimal:
    weighted = (
        rubric.weight_economic * economic
        + rubric.weight_social * social
        + rubric.weight_environmental * environmental
        + rubric.weight_risk * supply_risk
    )
    scaled = weighted * Decimal(100) / MAX_SCORE
    return max(Decimal("0.0"), min(Decimal("100.0"), scaled.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)))


def requirements_freeze(planned_advertisement: date | None, rubric: RubricValues) -> date | None:
    if planned_advertisement is None:
        return None
    return planned_advertisement - timedelta(weeks=rubric.freeze_lead_weeks)


def assess(inputs: Inputs, rubric: RubricValues) -> Assessment:
    e = coordinated_economic_score(inputs, rubric)
    s = social_score(inputs, rubric)
    m = environmental_score(inputs, rubric)
    r = supply_risk_score(inputs, rubric)
    quadrant = kraljic_quadrant(e.value, r.value)
    reasons = strategic_reasons(
        economic=e.value,
        social=s.value,
        environmental=m.value,
        quadrant=quadrant,
        flagged=inputs.flagged_strategic,
        rubric=rubric,
    )
    return Assessment(
        economic=e,
        social=s,
        environmental=m,
        supply_risk=r,
        quadrant=quadrant,
        strategic=bool(reasons),
        strategic_reasons=reasons,
        priority=priority(
            economic=e.value, social=s.value, environmental=m.value, supply_risk=r.value, rubric=rubric
        ),
        freeze_date=requirements_freeze(inputs.planned_advertisement, rubric),
    )


def rubric_errors(rubric: RubricValues) -> dict[str, str]:
    """What is wrong with a rubric, by field name ("__all__" for the whole): empty when it is sound.

    Band limits rise strictly from the direct-award limit to the E = 5 limit; points are 0–5; the
    "significant" levels are 1–5; weights are 0 or more and sum to 1; the freeze lead is 0–52 weeks.
    """
    errors = {}
    bands = [
        ("direct_award_limit", rubric.direct_award_limit),
        ("eu_threshold", rubric.eu_threshold),
        ("economic_limit_3", rubric.economic_limit_3),
        ("economic_limit_4", rubric.economic_limit_4),
        ("economic_limit_5", rubric.economic_limit_5),
    ]
    for (_previous_name, previous), (name, limit) in pairwise(bands):
        if limit <= previous:
            errors[name] = _("Must be higher than the limit before it (%(previous)s).") % {
                "previous": format_sek(previous)
            }
    points = {
        "employment_points": rubric.employment_points,
        "reserved_points": rubric.reserved_points,
        "labour_points": rubric.labour_points,
        "lots_points": rubric.lots_points,
        "single_supplier_points": rubric.single_supplier_points,
        "few_suppliers_points": rubric.few_suppliers_points,
        "business_critical_points": rubric.business_critical_points,
        "switching_cost_points": rubric.switching_cost_points,
        **{f"climate_{level}_points": value for level, value in rubric.climate_points.items()},
        **{f"environment_{level}_points": value for level, value in rubric.environmental_points.items()},
    }
    for name, value in points.items():
        if not 0 <= value <= MAX_SCORE:
            errors[name] = _("Points are from 0 to %(max)d.") % {"max": MAX_SCORE}
    for name in ("significant_economic", "significant_social", "significant_environmental"):
        if not 1 <= getattr(rubric, name) <= MAX_SCORE:
            errors[name] = _("A significant level is from 1 to %(max)d.") % {"max": MAX_SCORE}
    weights = {
        "weight_economic": rubric.weight_economic,
        "weight_social": rubric.weight_social,
        "weight_environmental": rubric.weight_environmental,
        "weight_risk": rubric.weight_risk,
    }
    for name, weight in weights.items():
        if weight < 0:
            errors[name] = _("A weight cannot be negative.")
    total = sum(weights.values(), Decimal(0))
    if total != 1:
        errors["__all__"] = _("The four weights must sum to 1 (now %(total)s).") % {"total": total}
    if not 0 <= rubric.freeze_lead_weeks <= 52:
        errors["freeze_lead_weeks"] = _("The lead time is from 0 to 52 weeks.")
    return errors
