"""The follow-up's year-over-year charts as drawn (issue 15, fault 10): labels a reader can read at the
size the page draws them, and a legend saying what the red dashed line is."""

from decimal import Decimal
from itertools import pairwise

import pytest
from django.test.html import parse_html
from django.urls import reverse

from plans.followup.charts import line_chart
from tests.factories import ProcurementFactory

# The narrowest a chart is drawn: a column of .charts is at least 18rem (static/css/app.css).
NARROWEST_PX = 288
READABLE_PX = 12


def elements(node, name):
    """Every element called name under node (django.test.html's tree), in document order."""
    for child in getattr(node, "children", []):
        if getattr(child, "name", None) == name:
            yield child
        yield from elements(child, name)


def attribute(node, name):
    return dict(node.attributes).get(name)


def has_class(node, name):
    return name in (attribute(node, "class") or "").split()


@pytest.fixture
def followup_page(client_for, officer, falun_plan, serv):
    ProcurementFactory(plan=falun_plan, department=serv, ref="2027-001")

    def get(language="sv"):
        client = client_for(officer)
        client.cookies["django_language"] = language
        url = reverse("plans:followup", kwargs={"municipality": "falun", "year": falun_plan.year})
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        figures = [
            f for f in elements(parse_html(response.content.decode()), "figure") if has_class(f, "chart")
        ]
        assert figures
        return figures

    return get


def test_every_axis_label_is_at_least_12_px_in_the_narrowest_chart(followup_page):
    for figure in followup_page():
        svg = next(elements(figure, "svg"))  # the chart; the legend has its own small samples
        width = float(attribute(svg, "viewbox").split()[2])
        labels = [text for text in elements(svg, "text") if has_class(text, "tick")]
        assert labels
        for label in labels:
            # A font size in the SVG's own units, scaled with the drawing (CSS does not override it).
            size = attribute(label, "font-size")
            assert size is not None, "an axis label without its own font size"
            assert float(size) * NARROWEST_PX / width >= READABLE_PX


def test_the_red_dashed_line_has_a_legend_naming_the_national_figure(followup_page):
    for figure in followup_page("en"):
        svg = next(elements(figure, "svg"))  # the chart; the legend has its own small samples
        if not any(has_class(line, "reference") for line in elements(svg, "line")):
            continue
        legends = [ul for ul in elements(figure, "ul") if has_class(ul, "chart-legend")]
        assert legends, "a chart with the dashed line and no legend"
        text = " ".join(str(legends[0]).split())
        assert "Sweden (national reference figure):" in text
        # The legend's sample of the line is drawn the same as the line.
        assert any(has_class(line, "reference") for line in elements(legends[0], "line"))


@pytest.mark.parametrize(
    ("years", "labelled"),
    [
        # Every year while they fit; the plan's own year (the last) always.
        ([2024, 2025, 2026, 2027], [2024, 2025, 2026, 2027]),
        (list(range(2021, 2028)), list(range(2021, 2028))),
        (list(range(2017, 2028)), [2017, 2019, 2021, 2023, 2025, 2027]),
        (list(range(2000, 2028)), None),
        ([2027], [2027]),
    ],
)
def test_year_labels_thin_out_rather_than_overlap(years, labelled):
    chart = line_chart("average_bids", "Bids", "", [(year, Decimal(3)) for year in years])
    shown = [point.year for point in chart.points if point.labelled]
    assert shown[-1] == years[-1]
    if labelled is not None:
        assert shown == labelled
    xs = [point.x for point in chart.points if point.labelled]
    # A four-digit year is about 2.5 font sizes wide: neighbours keep at least that apart.
    assert all(b - a >= 2.5 * chart.font_size for a, b in pairwise(xs))
