"""Year-over-year line charts, laid out here and drawn as SVG by the template (numbers beneath in a table).

The drawing scales with its column (static/css/app.css: .charts, at least 18rem wide), so its text is
sized in the drawing's own units for the narrowest column: FONT_SIZE units are READABLE_PX pixels or more
on screen. Years along the foot thin out, counted back from the plan's own year, rather than overlap.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 320, 190
LEFT, RIGHT, TOP, BOTTOM = 44, 22, 14, 32
# The narrowest a chart is drawn, in CSS pixels (18rem), and the smallest text a reader should get there.
NARROWEST_PX, READABLE_PX = 288, 12.5
FONT_SIZE = math.ceil(READABLE_PX * WIDTH / NARROWEST_PX)
# A four-digit year is about 2.5 font sizes wide; with a gap, neighbours keep this far apart.
YEAR_SPACING = 3 * FONT_SIZE


@dataclass(frozen=True)
class Point:
    year: int
    value: Decimal | None
    x: float
    y: float | None
    labelled: bool = True


@dataclass(frozen=True)
class Chart:
    key: str
    label: str
    unit: str
    points: list
    polyline: str
    y_ticks: list  # (value, y)
    reference: tuple | None  # (value, y) of the national reference line, if any
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM
    font_size: int = FONT_SIZE

    @property
    def year_y(self):
        """The baseline of the years along the foot."""
        return self.bottom + FONT_SIZE + 6


def nice_max(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above value, for a calm axis."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** len(str(int(value))) / 10 if value >= 1 else 0.1
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def line_chart(
    key: str, label: str, unit: str, series: list[tuple[int, Decimal | None]], reference=None
) -> Chart:
    values = [float(value) for _year, value in series if value is not None]
    top = nice_max(max([*values, float(reference or 0)], default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(series) - 1, 1)
    # Every year, every other year, … whichever first leaves room; counted from the last.
    every = max(1, math.ceil(YEAR_SPACING / step)) if len(series) > 1 else 1

    def y_of(value):
        return round(TOP + plot_height * (1 - float(value) / top), 1)

    points = [
        Point(
            year,
            value,
            round(LEFT + index * step, 1),
            None if value is None else y_of(value),
            labelled=(len(series) - 1 - index) % every == 0,
        )
        for index, (year, value) in enumerate(series)
    ]
    polyline = " ".join(f"{point.x},{point.y}" for point in points if point.y is not None)
    ticks = [(round(top * fraction, 2), y_of(top * fraction)) for fraction in (0, 0.5, 1)]
    line = (reference, y_of(reference)) if reference is not None else None
    return Chart(key, label, unit, points, polyline, ticks, line)
