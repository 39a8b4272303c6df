"""
Where each procurement's dot goes in the Kraljic matrix: a plain layout, rendered as SVG by the template.

Supply risk R runs left to right and economic weight E bottom to top, one cell per score 0–5, so
the quadrant lines fall between 2 and 3 ("high" is ≥ 3). Dots that share a cell are spread on a
sunflower spiral so that equal scores never hide each other; each dot's area grows with the value.
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
