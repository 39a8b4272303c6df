"""
What the register suggests for a procurement (or an order) that social enterprises offer (issue 18): a pure
rule on plain values, tested at its edges without a database.

In this order, the first that applies:

1. No enterprise offers it: nothing to suggest.
2. The contract is already reserved for social enterprises: nothing new to suggest.
3. At least one matching enterprise qualifies for reserved contracts (LOU 4 kap. 18 §) and can take people
   this year: a reserved contract.
4. The procurement is large and not divided into lots: a lot sized for the enterprises. Large means either
   - its estimated value, as the viewer may see it, lies above the EU threshold (the plan's rubric), or
   - at least LOT_ENTERPRISES matching enterprises can take people this year: each could bid for a part.
   A value the viewer may not see (confidential) or that is unknown counts as not above the threshold, so
   the suggestion never tells a band the viewer may not read.
5. Otherwise an employment requirement (sysselsättningskrav), unless one is already set: then nothing new.

An enterprise "can take people this year" unless its capacity is 0; an unknown capacity counts as able.
An enterprise with no room this year still counts for the employment requirement (step 5), which asks the
winning supplier, not the enterprise.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

# The measures the rule suggests: the values of plans.models.SocialDecision.Decision (a test holds the two
# together; a rule does not import the models).
RESERVED, LOT, EMPLOYMENT = "reserved", "lot", "employment"
# How many able enterprises make a procurement worth dividing whatever its value: two can each take a part.
LOT_ENTERPRISES = 2


@dataclass(frozen=True)
class Matched:
    """A matching enterprise as the rule reads it."""

    reserved_qualified: bool
    capacity: int | None = None

    @property
    def able(self) -> bool:
        return self.capacity is None or self.capacity > 0


@dataclass(frozen=True)
class Procured:
    """A procurement or an order as the rule reads it. value: the estimated value as the viewer may see
    it, None where it is secret to them or unknown."""

    value: int | None
    eu_threshold: int
    lots: bool = False
    reserved_contract: bool = False
    employment_requirement: bool = False


@dataclass(frozen=True)
class Suggestion:
    measure: str  # RESERVED, LOT or EMPLOYMENT
    reason: str


def suggest(enterprises: Iterable[Matched], procured: Procured) -> Suggestion | None:
    """The measure to suggest, with a sentence saying why; None when there is nothing new to suggest."""
    enterprises = list(enterprises)
    if not enterprises or procured.reserved_contract:
        return None
    able = [enterprise for enterprise in enterprises if enterprise.able]
    qualified = sum(1 for enterprise in able if enterprise.reserved_qualified)
    if qualified:
        reason = ngettext(
            "%(count)s of the enterprises qualifies for reserved contracts (LOU 4 kap. 18 §): the contract "
            "can be reserved for work-integration social enterprises.",
            "%(count)s of the enterprises qualify for reserved contracts (LOU 4 kap. 18 §): the contract "
            "can be reserved for work-integration social enterprises.",
            qualified,
        ) % {"count": qualified}
        return Suggestion(RESERVED, reason)
    if not procured.lots:
        if procured.value is not None and procured.value > procured.eu_threshold:
            reason = gettext(
                "The procurement is above the EU threshold and not divided: a lot sized for social "
                "enterprises lets them bid for a part."
            )
            return Suggestion(LOT, reason)
        if len(able) >= LOT_ENTERPRISES:
            reason = gettext(
                "%(count)s social enterprises offer this and the procurement is not divided: lots let each "
                "of them bid for a part."
            ) % {"count": len(able)}
            return Suggestion(LOT, reason)
    if procured.employment_requirement:
        return None
    reason = gettext(
        "No matching enterprise can take a reserved contract this year: an employment requirement asks "
        "the supplier to employ people who stand outside the labour market."
    )
    return Suggestion(EMPLOYMENT, reason)
