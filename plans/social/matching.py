"""
Which social enterprises offer what a procurement or an order buys (issue 18): a rule on plain values,
tested at its edges without a database.

An enterprise lists its services as CPV codes and/or as the plan's categories (goods, services, works).

- CPV codes match along the vocabulary's tree: the code's significant digits (its trailing zeros dropped,
  never fewer than the two of the division) name a node, and two codes match when one node lies within
  the other: "Washing and dry-cleaning services" (98310000) offers "Laundry-collection services"
  (98311000); an enterprise that washes only workwear (98311100) may take a lot of a broad laundry
  procurement (98310000).
- A division alone (98000000, "Other community, social and personal services") says too little: it
  matches only the same division, not the groups within it. A match needs a group (three digits) in
  common, the broader code included.
- A category is the coarse answer, used where a side has no codes: an order without a CPV code (an
  order often has none yet) matches the enterprises offering its category; an enterprise that gave no
  codes, only categories, is matched by category whatever the procurement's code. An enterprise that
  gave codes is matched by its codes wherever the procurement has one: "services" beside them would
  offer every service bought.

`Register` indexes a centre's enterprises once (each code under each of its prefixes), so that a year's
procurements are matched in one pass: a few dictionary lookups each.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# Digits of a division, and of a group: the least two codes must share to match.
DIVISION, GROUP = 2, 3


def node(code: str) -> str:
    """A CPV code's significant digits: 98310000 → "9831", 98000000 → "98", 03000000 → "03"."""
    digits = (code or "")[:8]
    stripped = digits.rstrip("0")
    return digits[: max(len(stripped), DIVISION)] if digits else ""


def codes_match(offered: str, bought: str) -> bool:
    """True when an enterprise's code and a procurement's code lie one within the other, sharing at
    least a group; two equal codes always match."""
    a, b = node(offered), node(bought)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= GROUP and longer.startswith(shorter)


def offers(*, cpv_codes: Iterable[str], categories: Iterable[str], cpv: str, category: str) -> bool:
    """True when an enterprise with these services offers what a procurement (cpv, category) buys: by
    code where both have codes, else by category."""
    cpv_codes = [code for code in cpv_codes if code]
    if cpv and cpv_codes:
        return any(codes_match(code, cpv) for code in cpv_codes)
    return bool(category) and category in set(categories)


@dataclass(frozen=True)
class Offer:
    """One enterprise as the matching reads it."""

    id: int
    cpv_codes: tuple[str, ...]
    categories: tuple[str, ...]


class Register:
    """A centre's enterprises, indexed for matching many procurements."""

    def __init__(self, offers_: Iterable[Offer]):
        # Every prefix (a group or longer) of every offered node → the enterprises whose node it is or
        # lies within; every exact node → its enterprises (for a bought code broader than a group).
        self._within = defaultdict(set)
        self._exact = defaultdict(set)
        self._categories = defaultdict(set)
        # The categories of the enterprises that gave no codes: they match by category everywhere.
        self._uncoded = defaultdict(set)
        for offer in offers_:
            for code in offer.cpv_codes:
                n = node(code)
                if not n:
                    continue
                self._exact[n].add(offer.id)
                for end in range(GROUP, len(n) + 1):
                    self._within[n[:end]].add(offer.id)
            coded = any(node(code) for code in offer.cpv_codes)
            for category in offer.categories:
                self._categories[category].add(offer.id)
                if not coded:
                    self._uncoded[category].add(offer.id)

    def matching(self, *, cpv: str, category: str) -> set[int]:
        """The ids of the enterprises that offer what (cpv, category) buys: the same answer as `offers`
        asked of each."""
        if not cpv:
            return set(self._categories.get(category, ())) if category else set()
        bought = node(cpv)
        found = set(self._exact.get(bought, ())) | self._uncoded.get(category, set())
        if len(bought) >= GROUP:
            # Offered codes within the bought one (or equal to it) …
            found |= self._within.get(bought, set())
            # … and offered codes the bought one lies within (a group or longer).
            for end in range(GROUP, len(bought)):
                found |= self._exact.get(bought[:end], set())
        return found
