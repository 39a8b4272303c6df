"""Where the Kraljic matrix puts each dot (plans/scoring/matrix.py), without a database."""

import pytest

from plans.scoring import matrix


def row(ref, economic, supply_risk, value=1_000_000, strategic=False, quadrant="routine"):
    return {
        "ref": ref,
        "title": f"Upphandling {ref}",
        "url": f"/plans/falun/2027/{ref}/",
        "economic": economic,
        "supply_risk": supply_risk,
        "value": value,
        "strategic": strategic,
        "quadrant": quadrant,
    }


@pytest.mark.parametrize(
    ("economic", "supply_risk", "x", "y"),
    [
        # R runs left to right and E bottom to top, one cell per score 0–5.
        (0, 0, matrix.MARGIN_LEFT + 0.5 * matrix.CELL_W, matrix.MARGIN_TOP + 5.5 * matrix.CELL_H),
        (5, 0, matrix.MARGIN_LEFT + 0.5 * matrix.CELL_W, matrix.MARGIN_TOP + 0.5 * matrix.CELL_H),
        (0, 5, matrix.MARGIN_LEFT + 5.5 * matrix.CELL_W, matrix.MARGIN_TOP + 5.5 * matrix.CELL_H),
        (5, 5, matrix.MARGIN_LEFT + 5.5 * matrix.CELL_W, matrix.MARGIN_TOP + 0.5 * matrix.CELL_H),
    ],
)
def test_a_lone_dot_sits_at_the_centre_of_its_cell(economic, supply_risk, x, y):
    (dot,) = matrix.layout([row("2027-001", economic, supply_risk)])
    assert (dot.x, dot.y) == (round(x, 1), round(y, 1))


@pytest.mark.parametrize(
    ("value", "largest", "r"),
    [
        (None, 10_000_000, matrix.MIN_RADIUS),  # confidential to the viewer: the smallest dot
        (0, 10_000_000, matrix.MIN_RADIUS),
        (10_000_000, 0, matrix.MIN_RADIUS),
        (10_000_000, 10_000_000, matrix.MAX_RADIUS),
        # The area, not the radius, grows with the value: a quarter of the value, half the extra radius.
        (2_500_000, 10_000_000, matrix.MIN_RADIUS + (matrix.MAX_RADIUS - matrix.MIN_RADIUS) / 2),
    ],
)
def test_a_dots_size_grows_with_the_value(value, largest, r):
    assert matrix.radius(value, largest) == pytest.approx(r)


@pytest.mark.parametrize("count", [2, 12, 200])
def test_dots_that_share_a_cell_never_share_a_place_and_stay_in_the_cell(count):
    dots = matrix.layout([row(f"2027-{n:03d}", 4, 4) for n in range(count)])
    assert len({(dot.x, dot.y) for dot in dots}) == count
    cx, cy = matrix.cell_centre(4, 4)
    assert all(abs(dot.x - cx) <= matrix.CELL_W / 2 and abs(dot.y - cy) <= matrix.CELL_H / 2 for dot in dots)


def test_small_dots_are_drawn_last_so_that_they_stay_clickable():
    values = [50_000_000, 100_000, None, 5_000_000]
    dots = matrix.layout([row(f"2027-{n:03d}", n, n, value) for n, value in enumerate(values)])
    assert [dot.r for dot in dots] == sorted((dot.r for dot in dots), reverse=True)
    assert dots[0].ref == "2027-000" and dots[-1].value in {None, 100_000}


def test_every_row_becomes_one_dot_with_its_facts():
    rows = [row("2027-001", 5, 4, strategic=True, quadrant="strategic"), row("2027-002", 1, 1, value=None)]
    dots = {dot.ref: dot for dot in matrix.layout(rows)}
    assert set(dots) == {"2027-001", "2027-002"}
    assert dots["2027-001"].strategic and dots["2027-001"].quadrant == "strategic"
    assert (dots["2027-001"].economic, dots["2027-001"].supply_risk) == (5, 4)
    assert dots["2027-002"].value is None and dots["2027-002"].url == "/plans/falun/2027/2027-002/"


# --- Labels: the strategic dots carry their reference (issue 15, fault 10) ------------------------------


def overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def inside_plot(label) -> bool:
    grid = matrix.Grid()
    return (
        grid.left <= label.x0 and label.x1 <= grid.right and grid.top <= label.y0 and label.y1 <= grid.bottom
    )


@pytest.mark.parametrize(
    ("rows", "clear_of_other_dots"),
    [
        # One strategic dot alone, beside others that are not.
        ([row("2027-001", 5, 5, strategic=True), row("2027-002", 5, 5), row("2027-003", 1, 1)], True),
        # One per corner of the plot: the labels stay inside it.
        (
            [
                row(f"2027-00{n}", e, r, strategic=True)
                for n, (e, r) in enumerate([(0, 0), (0, 5), (5, 0), (5, 5)])
            ],
            True,
        ),
        # Twelve spread as in the demo, one a cell, side by side.
        ([row(f"2027-{n:03d}", 3 + n % 3, n % 4, strategic=True) for n in range(12)], True),
        # Four strategic dots sharing a cell with six others: apart from each other, if not from every dot.
        ([row(f"2027-{n:03d}", 4, 3, value=n * 1_000_000, strategic=n < 4) for n in range(10)], False),
    ],
)
def test_every_strategic_dot_is_labelled_with_its_ref_apart_from_the_others(rows, clear_of_other_dots):
    dots = matrix.layout(rows)
    labels = matrix.labels(dots)
    assert sorted(label.ref for label in labels) == sorted(r["ref"] for r in rows if r["strategic"])
    assert all(inside_plot(label) for label in labels)
    assert not [(a.ref, b.ref) for i, a in enumerate(labels) for b in labels[i + 1 :] if overlaps(a, b)]
    for label in labels:
        for dot in dots:
            covered = label.x0 < dot.x + dot.r and dot.x - dot.r < label.x1 and label.y0 < dot.y + dot.r
            covered = covered and dot.y - dot.r < label.y1
            # A label never covers its own dot; in a calm plan, no other dot either.
            assert not covered or (dot.ref != label.ref and not clear_of_other_dots), (label.ref, dot.ref)


def test_a_crowded_cell_and_a_large_plan_label_at_most_max_labels_the_largest_first():
    """Beyond MAX_LABELS the plot would be a wall of text: the largest strategic dots keep theirs."""
    crowded = matrix.labels(matrix.layout([row(f"2027-{n:03d}", 5, 5, strategic=True) for n in range(120)]))
    rows = [row(f"2027-{n:04d}", n % 6, n // 6 % 6, n * 10_000, strategic=n % 3 == 0) for n in range(1000)]
    dots = matrix.layout(rows)
    large = matrix.labels(dots)
    assert (len(crowded), len(large)) == (matrix.MAX_LABELS, matrix.MAX_LABELS)
    assert all(inside_plot(label) for label in crowded + large)
    largest = [dot.ref for dot in dots if dot.strategic][: matrix.MAX_LABELS]
    assert [label.ref for label in large] == largest
