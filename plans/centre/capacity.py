"""
Officer capacity (issue 16): what the procurements weigh on each officer's quarters, against what the
officer can carry, as plain sums on plain values. No ORM, no request.

1. A procurement weighs by its Kraljic quadrant: strategic 3, leverage 2, bottleneck 2, routine 1 points;
   a direct award weighs 0.5 whatever its quadrant (no advertisement, no tender to evaluate). The plan
   administrator sets the weights (CentreSettings); they come here as a Weights.
2. It weighs on the calendar quarter of its planned advertisement, the quarter the tender is written
   in: Q1 is January–March, … Q4 October–December. The year is the calendar year, so a procurement of
   next year's plan advertised this autumn weighs on this year's Q4.
3. A coordinated procurement (samordnad upphandling) is one tender: it counts once, with its lead's
   weight, on its lead's officer and quarter. The participants (the other members of an active group
   with a lead) add nothing; they stand in the lead's cell, "counted with the lead", and, when they have
   an officer of their own other than the lead's, in that officer's cell of their own quarter too, with
   no weight, so that the officer sees they are theirs and who carries them.
4. A procurement without an officer weighs on "unassigned", which has no capacity.
5. A cell is over capacity when its load exceeds the capacity: exactly at capacity is not over, and a
   capacity of 0 is over with any load. A cell whose capacity is not set is never over: there is
   nothing to compare with, and the page says the capacity is missing.
"""

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import formats

from plans.dates import quarter
from plans.scoring.rules import Quadrant

QUARTERS = (1, 2, 3, 4)
# The procedure's stored value (plans.models.Procedure.DIRECT_AWARD; a test holds the two together).
DIRECT_AWARD = "direct_award"
# The officer of the procurements nobody has been given yet.
UNASSIGNED = None


@dataclass(frozen=True)
class Weights:
    """What one procurement weighs, in points (defaults: issue 16)."""

    strategic: Decimal = Decimal("3")
    leverage: Decimal = Decimal("2")
    bottleneck: Decimal = Decimal("2")
    routine: Decimal = Decimal("1")
    direct_award: Decimal = Decimal("0.5")

    NAMES = ("strategic", "leverage", "bottleneck", "routine", "direct_award")

    @classmethod
    def of(cls, settings) -> "Weights":
        """The weights of a centre's settings (anything with weight_strategic … weight_direct_award)."""
        return cls(**{name: Decimal(getattr(settings, f"weight_{name}")) for name in cls.NAMES})


DEFAULT_WEIGHTS = Weights()


def weight(quadrant: str, procedure: str, weights: Weights = DEFAULT_WEIGHTS) -> Decimal:
    """The points a procurement weighs: a direct award's weight, else its quadrant's."""
    if procedure == DIRECT_AWARD:
        return weights.direct_award
    if quadrant not in Quadrant.ordered:
        raise ValueError(f"unknown Kraljic quadrant {quadrant!r}")
    return getattr(weights, quadrant)


@dataclass(frozen=True)
class Item:
    """One procurement as the sums see it. lead_id: the lead procurement of the active coordinated
    procurement it is a member of (its own pk for the lead), else None. row: whatever the page shows
    of it; the sums never look at it."""

    pk: int
    officer_id: int | None
    quadrant: str
    procedure: str
    advertised: date
    lead_id: int | None = None
    row: object = field(default=None, compare=False, repr=False)

    @property
    def participant(self) -> bool:
        """A member of a coordinated procurement other than its lead: it adds nothing."""
        return self.lead_id is not None and self.lead_id != self.pk

    @property
    def lead(self) -> bool:
        return self.lead_id is not None and self.lead_id == self.pk


@dataclass(frozen=True)
class Entry:
    """A procurement in a cell: its weight there (0 for a participant, which is counted with its lead).
    own_cell: a participant listed in its own officer's cell as well, so that the officer sees it is
    theirs; lead_officer_id: there, the officer of the lead it is counted with (None: nobody yet)."""

    item: Item
    weight: Decimal
    counted: bool
    own_cell: bool = False
    lead_officer_id: int | None = None

    @property
    def weight_text(self) -> str:
        return points_text(self.weight)


class Figures:
    """Load against capacity, for a cell (one quarter) and a row (the year): over, and both as text."""

    load: Decimal
    capacity: Decimal | None

    @property
    def over(self) -> bool:
        return over(self.load, self.capacity)

    @property
    def load_text(self) -> str:
        return points_text(self.load)

    @property
    def capacity_text(self) -> str:
        return "" if self.capacity is None else points_text(self.capacity)


@dataclass
class Cell(Figures):
    officer_id: int | None
    quarter: int
    capacity: Decimal | None
    entries: list[Entry] = field(default_factory=list)

    @property
    def unassigned(self) -> bool:
        return self.officer_id is UNASSIGNED

    @property
    def load(self) -> Decimal:
        return sum((entry.weight for entry in self.entries if entry.counted), Decimal(0))

    @property
    def count(self) -> int:
        """How many procurements the load is made of (participants, counted with their lead, aside)."""
        return sum(1 for entry in self.entries if entry.counted)

    @property
    def with_lead(self) -> int:
        """How many participants the cell lists besides, each counted with its lead (in this cell or in
        another officer's)."""
        return sum(1 for entry in self.entries if not entry.counted)


@dataclass
class Row(Figures):
    """One officer's year (officer_id None: the unassigned procurements). member: whether the officer is
    one of the centre's officers today (a former one still carries what stands in their name)."""

    officer_id: int | None
    cells: tuple[Cell, ...]
    member: bool = True

    @property
    def unassigned(self) -> bool:
        return self.officer_id is UNASSIGNED

    @property
    def load(self) -> Decimal:
        return sum((cell.load for cell in self.cells), Decimal(0))

    @property
    def capacity(self) -> Decimal | None:
        """The year's capacity: the sum of the four quarters, where all four are set (else None). A year
        with quarters left unset has no capacity to hold its whole load against: its quarters are marked
        one by one."""
        given = [cell.capacity for cell in self.cells if cell.capacity is not None]
        return sum(given, Decimal(0)) if len(given) == len(self.cells) else None

    @property
    def over_quarters(self) -> int:
        return sum(1 for cell in self.cells if cell.over)

    @property
    def count(self) -> int:
        return sum(cell.count for cell in self.cells)


@dataclass
class Table:
    rows: list[Row]
    # The procurements that weigh on nobody yet (participants aside), the earliest advertisement first.
    unassigned: list[Entry]

    def row(self, officer_id: int | None) -> Row | None:
        return next((row for row in self.rows if row.officer_id == officer_id), None)

    @property
    def officer_rows(self) -> list[Row]:
        return [row for row in self.rows if row.officer_id is not UNASSIGNED]

    @property
    def unassigned_row(self) -> Row | None:
        return self.row(UNASSIGNED)

    @property
    def over_count(self) -> int:
        """How many officers are over capacity in at least one quarter."""
        return sum(1 for row in self.officer_rows if row.over_quarters)


def over(load: Decimal, capacity: Decimal | None) -> bool:
    """Over capacity: more load than capacity. At capacity is not over; no capacity set is never over."""
    return capacity is not None and load > capacity


def load_table(
    items: Iterable[Item],
    *,
    year: int,
    officers: Sequence[int],
    capacities: Mapping[tuple[int, int], Decimal],
    weights: Weights = DEFAULT_WEIGHTS,
) -> Table:
    """The officer × quarter table of a year.

    1. Only the procurements whose advertisement is planned in the year are counted.
    2. Each weighs (weight) on its officer's cell of its quarter; a participant of a coordinated
       procurement stands in its lead's cell with no weight (in its own cell if the lead is not in the
       year), after the lead, and, if its own officer is another than the lead's, in that officer's cell
       of its own quarter as well, with no weight (own_cell).
    3. Rows: the officers in the order given, each with a row even without procurements; then any
       other officer with procurements in the year (member=False), by id; then the unassigned, if any.
    4. capacities: {(officer id, quarter): points}; a missing key is a capacity not set.
    """
    items = [item for item in items if item.advertised.year == year]
    by_pk = {item.pk: item for item in items}
    officers = list(dict.fromkeys(officers))
    others = sorted({item.officer_id for item in items if item.officer_id is not None} - set(officers))
    rows = {
        officer_id: Row(
            officer_id=officer_id,
            cells=tuple(Cell(officer_id, q, capacities.get((officer_id, q))) for q in QUARTERS),
            member=officer_id in set(officers),
        )
        for officer_id in officers + others
    }

    def anchor(item: Item) -> Item:
        """The procurement whose cell the item stands in: its lead's, for a participant."""
        return by_pk.get(item.lead_id, item) if item.participant else item

    unassigned = []
    placed = []
    for item in items:
        counted = not item.participant
        entry = Entry(
            item=item,
            weight=weight(item.quadrant, item.procedure, weights) if counted else Decimal(0),
            counted=counted,
        )
        home = anchor(item)
        placed.append((home, entry))
        if counted and item.officer_id is UNASSIGNED:
            unassigned.append(entry)
        if home is not item and item.officer_id not in (UNASSIGNED, home.officer_id):
            # Its own officer's cell too: theirs, carried by the lead's officer.
            mirror = Entry(
                item=item, weight=Decimal(0), counted=False, own_cell=True, lead_officer_id=home.officer_id
            )
            placed.append((item, mirror))
    if any(home.officer_id is UNASSIGNED for home, _entry in placed):
        rows[UNASSIGNED] = Row(
            officer_id=UNASSIGNED, cells=tuple(Cell(UNASSIGNED, q, None) for q in QUARTERS), member=False
        )
    # The earliest advertisement first; a participant right after its lead.
    placed.sort(key=lambda pair: (pair[0].advertised, pair[0].pk, not pair[1].counted, pair[1].item.pk))
    for home, entry in placed:
        rows[home.officer_id].cells[quarter(home.advertised) - 1].entries.append(entry)
    unassigned.sort(key=lambda entry: (entry.item.advertised, entry.item.pk))
    return Table(rows=list(rows.values()), unassigned=unassigned)


def points_text(value: Decimal) -> str:
    """Points as people write them: 3, 2,5, 0,25 (no trailing zeros, the language's decimal mark)."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def capacity_stamp(capacities: Mapping[tuple[int, int], Decimal]) -> str:
    """A short fingerprint of a year's capacities, so that a form built from them can tell that someone
    has saved others since (the capacities have no version of their own): equal for equal points."""
    text = ";".join(
        f"{officer}:{q}:{Decimal(points).normalize():f}"
        for (officer, q), points in sorted(capacities.items())
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]
