"""The charts as a reader meets them (issue 15, fault 10): the follow-up's axis labels readable at the size
the page draws them, on a phone and a desktop; the Kraljic matrix's dots reached and named by keyboard,
the strategic ones labelled, and no axe-core violation on the matrix."""

import re
from itertools import pairwise

import pytest
from playwright.sync_api import expect

from plans.models import Procurement
from tests.e2e.conftest import WCAG_AA, log_in

READABLE_PX = 12


@pytest.mark.parametrize("width", [390, 1366])
def test_the_follow_up_charts_labels_are_readable_and_apart(page, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "politiker")
    page.goto("/plans/falun/2027/followup/")
    labels = page.evaluate(
        """() => [...document.querySelectorAll('figure.chart svg text')].map(text => {
            const box = text.getBoundingClientRect();
            return {text: text.textContent, x: box.left, right: box.right, y: box.top,
                    px: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a};
        })"""
    )
    assert labels
    small = [(label["text"], round(label["px"], 1)) for label in labels if label["px"] < READABLE_PX]
    assert not small, f"labels under {READABLE_PX} px at {width} px: {small}"
    # The years along a chart's foot never run into each other.
    rows = {}
    for label in labels:
        rows.setdefault(round(label["y"]), []).append(label)
    for row in rows.values():
        row.sort(key=lambda label: label["x"])
        assert all(a["right"] <= b["x"] for a, b in pairwise(row)), row
    # The red dashed line is explained beside the chart, with the national figure it stands for.
    national = page.locator("figure.chart .chart-legend li", has=page.locator("line.reference")).first
    expect(national).to_be_visible()
    expect(national).to_contain_text("4,6")


def test_every_matrix_dot_is_reached_by_keyboard_and_read_out_by_name(page, demo):
    log_in(page, "politiker")
    page.goto("/plans/falun/2017/?view=matrix")
    dots = page.locator("svg.kraljic a.dot")
    count = dots.count()
    assert count == Procurement.objects.filter(plan__municipality__slug="falun", plan__year=2017).count()
    # Tab from the top of the page through the matrix: every dot takes the focus once.
    page.locator("svg.kraljic").evaluate("svg => svg.closest('figure').previousElementSibling?.focus?.()")
    reached = []
    for _ in range(count + 200):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => document.activeElement.matches('svg.kraljic a.dot')"
            " ? document.activeElement.getAttribute('href') : null"
        )
        if focused:
            reached.append(focused)
        elif reached:
            break
    assert len(reached) == count and len(set(reached)) == count
    # Each is read out by its procurement's reference and title.
    for procurement in Procurement.objects.filter(plan__municipality__slug="falun", plan__year=2017)[:5]:
        expect(page.get_by_role("link", name=re.compile(rf"^{re.escape(procurement.ref)} "))).to_have_count(1)
    # The strategic ones carry their reference on the drawing.
    strategic = Procurement.objects.filter(plan__municipality__slug="falun", plan__year=2017, strategic=True)
    expect(page.locator("svg.kraljic .dot-labels text")).to_have_count(strategic.count())
    for procurement in strategic:
        expect(page.locator("svg.kraljic .dot-labels text", has_text=procurement.ref)).to_have_count(1)
    # Enter on a focused dot opens its procurement.
    dots.first.focus()
    href = dots.first.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")


@pytest.mark.parametrize("width", [390, 1366])
def test_the_matrix_labels_are_readable_on_a_phone_too(page, demo, width):
    """Never drawn below its own size: on a phone the drawing scrolls in its box, not the page."""
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "politiker")
    page.goto("/plans/falun/2017/?view=matrix")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('svg.kraljic text')].map(text => {
            const m = text.getScreenCTM();  // the axis name is turned a quarter: its scale is in b
            return parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b);
        })"""
    )
    assert sizes and min(sizes) >= READABLE_PX, min(sizes)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_matrix_has_no_axe_violation(page, demo):
    from axe_playwright_python.sync_playwright import Axe

    log_in(page, "politiker")
    page.goto("/plans/falun/2017/?view=matrix")
    violations = Axe().run(page, options=WCAG_AA).response["violations"]
    assert [violation["id"] for violation in violations] == []
