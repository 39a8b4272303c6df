"""Year-over-year line charts, laid out here and drawn as SVG by the template (numbers beneath in a table)."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 360, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 14, 28


@dataclass(frozen=True)
class Point:
    year: int
    value: Decimal | None
    x: float
    y: float | None


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

    def y_of(value):
        return round(TOP + plot_height * (1 - float(value) / top), 1)

    points = [
        Point(year, value, round(LEFT + index * step, 1), None if value is None else y_of(value))
        for index, (year, value) in enumerate(series)
    ]
    polyline = " ".join(f"{point.x},{point.y}" for point in points if point.y is not None)
    ticks = [(round(top * fraction, 2), y_of(top * fraction)) for fraction in (0, 0.5, 1)]
    line = (reference, y_of(reference)) if reference is not None else None
    return Chart(key, label, unit, points, polyline, ticks, line)
