"""
Where each procurement's dot goes in the Kraljic matrix: a plain layout, rendered as SVG by the template.

Supply risk R runs left to right and economic weight E bottom to top, one cell per score 0–5, so
the quadrant lines fall between 2 and 3 ("high" is ≥ 3). Dots that share a cell are spread on a
sunflower spiral so that equal scores never hide each other; each dot's area grows with the value.

The dots strategic for review carry their reference beside them (labels()), so that a reader need not
hover to know which procurement a dot is.
"""

import math
from dataclasses import dataclass
from typing import NamedTuple

from plans.scoring.rules import HIGH, MAX_SCORE, Quadrant

SIZE = 600
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_RIGHT = 56, 48, 12, 12
PLOT_WIDTH = SIZE - MARGIN_LEFT - MARGIN_RIGHT
PLOT_HEIGHT = SIZE - MARGIN_TOP - MARGIN_BOTTOM
CELLS = MAX_SCORE + 1
CELL_W = PLOT_WIDTH / CELLS
CELL_H = PLOT_HEIGHT / CELLS
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
MIN_RADIUS, MAX_RADIUS = 3.0, 11.0
# A dot's label: its font size in the drawing's units, the width of a character (digits and hyphen of
# the sans-serif the page uses average 0.6 of the size), the gap to the dot, and the corner each
# quadrant's name takes (kept free).
LABEL_SIZE = 12
LABEL_CHAR_WIDTH = 0.62 * LABEL_SIZE
LABEL_GAP = 2
QUADRANT_NAME = (120, 28)
BUCKET = 40  # the side of the square buckets in which labels look for what they would cover
# The most references drawn: beyond this a plot of 600 px is a wall of text (and placing them grew to
# half the page's time for a 1 000-procurement plan). Every dot still names itself by keyboard and hover.
MAX_LABELS = 40
CROWDED = 24  # boxes in one bucket beyond which every place there is as bad as another


class Dot(NamedTuple):
    """One procurement's dot (a tuple: a plan has a thousand of them)."""

    ref: str
    title: str
    url: str
    economic: int
    supply_risk: int
    value: int | None  # None when confidential to the viewer
    strategic: bool
    quadrant: str
    x: float
    y: float
    r: float


def cell_centre(economic: int, supply_risk: int) -> tuple[float, float]:
    x = MARGIN_LEFT + (supply_risk + 0.5) * CELL_W
    y = MARGIN_TOP + (MAX_SCORE - economic + 0.5) * CELL_H
    return x, y


def radius(value: int | None, largest: int) -> float:
    if not value or not largest:
        return MIN_RADIUS
    return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(value / largest)


def layout(rows: list[dict]) -> list[Dot]:
    """rows: dicts with ref, title, url, economic, supply_risk, value, strategic, quadrant."""
    largest = max((row["value"] or 0 for row in rows), default=0)
    by_cell: dict[tuple[int, int], list[dict]] = {}
    for row in rows:
        by_cell.setdefault((row["economic"], row["supply_risk"]), []).append(row)
    dots = []
    for (economic, supply_risk), members in by_cell.items():
        cx, cy = cell_centre(economic, supply_risk)
        count = len(members)
        reach = min(CELL_W, CELL_H) / 2 - MIN_RADIUS - 1
        spacing = reach / math.sqrt(count) if count > 1 else 0
        # In a crowded cell the dots shrink so that neighbours stay apart.
        shrink = min(1.0, max(spacing, MIN_RADIUS * 1.6) / (MAX_RADIUS * 1.2)) if count > 1 else 1.0
        # Largest first, so that the big ones sit at the centre.
        for index, row in enumerate(sorted(members, key=lambda m: (-(m["value"] or 0), m["ref"]))):
            distance = spacing * math.sqrt(index + 0.5) if count > 1 else 0
            angle = index * GOLDEN_ANGLE
            dots.append(
                Dot(
                    ref=row["ref"],
                    title=row["title"],
                    url=row["url"],
                    economic=economic,
                    supply_risk=supply_risk,
                    value=row["value"],
                    strategic=row["strategic"],
                    quadrant=row["quadrant"],
                    x=round(cx + distance * math.cos(angle), 1),
                    y=round(cy + distance * math.sin(angle), 1),
                    r=round(max(MIN_RADIUS * 0.8, radius(row["value"], largest) * shrink), 1),
                )
            )
    # Small dots are drawn last, on top, so that they stay clickable.
    return sorted(dots, key=lambda dot: -dot.r)


class Box(NamedTuple):
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: "Box") -> float:
        width = min(self.x1, other.x1) - max(self.x0, other.x0)
        height = min(self.y1, other.y1) - max(self.y0, other.y0)
        return width * height if width > 0 and height > 0 else 0.0


class Label(NamedTuple):
    """A strategic dot's reference at (x, y), y the baseline, with its text-anchor; the box it takes."""

    ref: str
    x: float
    y: float
    anchor: str  # start, middle or end
    x0: float
    y0: float
    x1: float
    y1: float


def _candidates(dot: Dot, width: float):
    """(anchor, x, box) beside the dot: right, left, above, below, then the four diagonals."""
    h, gap, r = LABEL_SIZE, LABEL_GAP, dot.r
    x, y = dot.x, dot.y
    d = r + gap  # clear of the dot's square
    yield "start", x + r + gap, Box(x + r + gap, y - h / 2, x + r + gap + width, y + h / 2)
    yield "end", x - r - gap, Box(x - r - gap - width, y - h / 2, x - r - gap, y + h / 2)
    yield "middle", x, Box(x - width / 2, y - r - gap - h, x + width / 2, y - r - gap)
    yield "middle", x, Box(x - width / 2, y + r + gap, x + width / 2, y + r + gap + h)
    yield "start", x + d, Box(x + d, y - d - h, x + d + width, y - d)
    yield "end", x - d, Box(x - d - width, y - d - h, x - d, y - d)
    yield "start", x + d, Box(x + d, y + d, x + d + width, y + d + h)
    yield "end", x - d, Box(x - d - width, y + d, x - d, y + d + h)


class _Buckets:
    """Boxes filed by the BUCKET squares they touch, so that a box meets only its neighbours."""

    def __init__(self):
        self.cells: dict[tuple[int, int], list[tuple[Box, float]]] = {}

    def _keys(self, box: Box):
        for i in range(int(box.x0 // BUCKET), int(box.x1 // BUCKET) + 1):
            for j in range(int(box.y0 // BUCKET), int(box.y1 // BUCKET) + 1):
                yield i, j

    def add(self, box: Box, weight: float):
        for key in self._keys(box):
            self.cells.setdefault(key, []).append((box, weight))

    def cost(self, box: Box) -> float:
        """How much the box covers, weighted; infinite where it is crowded (so a thousand labels piled in
        one cell cost a look each, not a comparison with every other)."""
        seen, total = set(), 0.0
        for key in self._keys(box):
            filed = self.cells.get(key, ())
            if len(filed) > CROWDED:
                return math.inf
            for other, weight in filed:
                if id(other) not in seen:
                    seen.add(id(other))
                    total += weight * box.overlap(other)
        return total


def labels(dots: list[Dot]) -> list[Label]:
    """The strategic dots' references, each placed beside its dot where it covers least:
    1. what a label must stay clear of: the dots, the other labels (most), the quadrants' names;
    2. the largest dots first, each trying right, left, above, below and the diagonals, inside the plot;
    3. the first place that covers nothing wins, else the one that covers least (a crowded cell);
    4. at most MAX_LABELS, the largest dots' first."""
    grid = Grid()
    plot = Box(grid.left, grid.top, grid.right, grid.bottom)
    taken = _Buckets()
    for dot in dots:
        taken.add(Box(dot.x - dot.r, dot.y - dot.r, dot.x + dot.r, dot.y + dot.r), 1.0)
    name_w, name_h = QUADRANT_NAME
    for x0 in (plot.x0, plot.x1 - name_w):
        for y0 in (plot.y0, plot.y1 - name_h):
            taken.add(Box(x0, y0, x0 + name_w, y0 + name_h), 1.0)
    placed = []
    for dot in dots:
        if not dot.strategic:
            continue
        if len(placed) == MAX_LABELS:
            break
        width = len(dot.ref) * LABEL_CHAR_WIDTH
        best = None
        for anchor, x, box in _candidates(dot, width):
            if box.x0 < plot.x0 or box.x1 > plot.x1 or box.y0 < plot.y0 or box.y1 > plot.y1:
                continue
            cost = taken.cost(box) - box.overlap(
                Box(dot.x - dot.r, dot.y - dot.r, dot.x + dot.r, dot.y + dot.r)
            )
            if best is None or cost < best[0]:
                best = (cost, anchor, x, box)
            if cost <= 0:
                break
        if best is None:  # a reference longer than the plot is wide: the plot's left edge
            best = (
                0,
                "start",
                plot.x0,
                Box(plot.x0, dot.y - LABEL_SIZE / 2, plot.x0 + width, dot.y + LABEL_SIZE / 2),
            )
        cost, anchor, x, box = best
        taken.add(box, 20.0)
        # The baseline sits a little below the middle of the box.
        baseline = round((box.y0 + box.y1) / 2 + 0.35 * LABEL_SIZE, 1)
        placed.append(Label(dot.ref, round(x, 1), baseline, anchor, *(round(v, 1) for v in box)))
    return placed


@dataclass(frozen=True)
class Grid:
    """The fixed parts of the drawing, for the template."""

    size: int = SIZE
    left: float = MARGIN_LEFT
    top: float = MARGIN_TOP
    width: float = PLOT_WIDTH
    height: float = PLOT_HEIGHT
    split_x: float = MARGIN_LEFT + HIGH * CELL_W
    split_y: float = MARGIN_TOP + (MAX_SCORE + 1 - HIGH) * CELL_H
    bottom: float = MARGIN_TOP + PLOT_HEIGHT
    right: float = MARGIN_LEFT + PLOT_WIDTH

    @property
    def quadrants(self):
        """(quadrant, x, y, width, height) of the four backgrounds."""
        low_width, high_width = self.split_x - self.left, self.right - self.split_x
        high_height, low_height = self.split_y - self.top, self.bottom - self.split_y
        return [
            (Quadrant.LEVERAGE, self.left, self.top, low_width, high_height),
            (Quadrant.STRATEGIC, self.split_x, self.top, high_width, high_height),
            (Quadrant.ROUTINE, self.left, self.split_y, low_width, low_height),
            (Quadrant.BOTTLENECK, self.split_x, self.split_y, high_width, low_height),
        ]

    @property
    def centre_x(self):
        return self.left + self.width / 2

    @property
    def centre_y(self):
        return self.top + self.height / 2

    @property
    def x_ticks(self):
        return [(score, round(cell_centre(0, score)[0], 1)) for score in range(CELLS)]

    @property
    def y_ticks(self):
        return [(score, round(cell_centre(score, 0)[1], 1)) for score in range(CELLS)]
