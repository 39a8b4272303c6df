"""
The board brief as a PDF (reportlab's platypus), from the plain data of plans/followup/brief.py; no query, no
request. A4, calm typography: a header on every page with the municipality, the plan year (and quarter)
and the date printed; page numbers in the footer; a first page listing the procurements, then one block
per procurement, each starting on a new page.

The font is DejaVu Sans, shipped with the application (plans/fonts/, Debian's fonts-dejavu-core) and
embedded, so every install draws the same PDF and a reader needs no font of its own; it has å ä ö and the
rubric's ≥ and →. The document says its language (/Lang), title, author and subject. What reportlab cannot
do is tag it (no structure tree): a screen reader reads the text in drawing order, which here is the
reading order.
"""

import io
from datetime import date
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from plans.followup.brief import Brief, BriefItem

FONTS = Path(__file__).resolve().parent.parent / "fonts"
# The PDF's /Lang, per interface language.
PDF_LANG = {"sv": "sv-SE", "en": "en-GB"}
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5b6873")
LINE = colors.HexColor("#d5dbe1")
SHADE = colors.HexColor("#f3f5f7")
MARGIN = 20 * mm


@cache
def fonts() -> tuple[str, str]:
    """(regular, bold): the application's DejaVu Sans, registered once. A missing font file is a broken
    install and fails loudly; there is no fallback to an unembedded font."""
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        "DejaVuSans",
        normal="DejaVuSans",
        bold="DejaVuSans-Bold",
        italic="DejaVuSans",
        boldItalic="DejaVuSans-Bold",
    )
    return "DejaVuSans", "DejaVuSans-Bold"


class Writer:
    """Paragraph markup from user text, with the fonts and styles of one brief."""

    def __init__(self, regular: str, bold: str):
        self.regular, self.bold = regular, bold
        base = ParagraphStyle("brief", fontName=regular, fontSize=10, leading=14, textColor=INK)
        self.styles = {
            "body": base,
            "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5),
            "muted": ParagraphStyle("muted", parent=base, fontSize=9, leading=12, textColor=MUTED),
            "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
            "label": ParagraphStyle("label", parent=base, fontSize=9, leading=12, textColor=MUTED),
            "bullet": ParagraphStyle(
                "bullet", parent=base, leftIndent=10, bulletIndent=0, bulletFontName=regular, spaceAfter=1
            ),
            "title": ParagraphStyle(
                "title", parent=base, fontName=bold, fontSize=20, leading=25, spaceAfter=4
            ),
            "heading": ParagraphStyle(
                "heading", parent=base, fontName=bold, fontSize=15, leading=19, spaceAfter=6
            ),
            "section": ParagraphStyle(
                "section", parent=base, fontName=bold, fontSize=10.5, leading=14, spaceBefore=10, spaceAfter=3
            ),
            "eyebrow": ParagraphStyle("eyebrow", parent=base, fontSize=9, leading=12, textColor=MUTED),
        }

    def markup(self, value) -> str:
        """User text as Paragraph markup: escaped, its line breaks kept."""
        return escape(str(value)).replace("\n", "<br/>")

    def para(self, value, style="body", *, raw: bool = False, **kwargs) -> Paragraph:
        return Paragraph(value if raw else self.markup(value), self.styles[style], **kwargs)

    def bullets(self, values) -> list[Paragraph]:
        return [self.para(value, "bullet", bulletText="•") for value in values]


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "–"


def brief_pdf(brief: Brief) -> bytes:
    """The brief as PDF bytes, in the active language."""
    writer = Writer(*fonts())
    buffer = io.BytesIO()
    heading = _("Board brief: strategic procurements %(period)s") % {"period": brief.period}
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 10 * mm,
        bottomMargin=MARGIN,
        title=f"{heading} – {brief.municipality}",
        author="Upphandlingsplan",
        subject=_("Strategic procurements for the politicians' review, %(municipality)s")
        % {"municipality": brief.municipality},
        creator="Upphandlingsplan",
        lang=PDF_LANG.get(get_language() or "sv", "sv-SE"),
        # A reader's title bar shows the title, not the file name; nothing is drawn in Helvetica.
        displayDocTitle=True,
        initialFontName=writer.regular,
    )
    header_right = _("Procurement plan %(period)s · Printed %(date)s") % {
        "period": brief.period,
        "date": _iso(brief.printed_on),
    }
    page_label = _("Page %(page)d of %(pages)d")

    def draw_header(pdf, doc):
        pdf.saveState()
        top = A4[1] - MARGIN
        pdf.setFillColor(INK)
        pdf.setFont(writer.bold, 9)
        pdf.drawString(MARGIN, top, brief.municipality)
        pdf.setFillColor(MUTED)
        pdf.setFont(writer.regular, 9)
        pdf.drawRightString(A4[0] - MARGIN, top, header_right)
        pdf.setStrokeColor(LINE)
        pdf.setLineWidth(0.6)
        pdf.line(MARGIN, top - 4, A4[0] - MARGIN, top - 4)
        pdf.restoreState()

    def numbered_canvas(*args, **kwargs):
        return NumberedCanvas(*args, footer=page_label, font=writer.regular, **kwargs)

    story = cover(brief, writer, heading)
    story.extend(social_section(brief, writer))
    story.extend(goals_pages(brief, writer))
    for item in brief.items:
        story.append(PageBreak())
        story.extend(block(item, writer))
    document.build(story, onFirstPage=draw_header, onLaterPages=draw_header, canvasmaker=numbered_canvas)
    return buffer.getvalue()


class NumberedCanvas(canvas.Canvas):
    """Holds every page until the end, so that each footer can say "Page 2 of 7"."""

    def __init__(self, *args, footer: str, font: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer, self._footer_font = footer, font
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.saveState()
            self.setFont(self._footer_font, 8.5)
            self.setFillColor(MUTED)
            text = self._footer % {"page": self._pageNumber, "pages": total}
            self.drawCentredString(A4[0] / 2, MARGIN - 8 * mm, text)
            self.restoreState()
            super().showPage()
        super().save()


def cover(brief: Brief, writer: Writer, heading: str) -> list:
    """The first page: what the brief is, and the procurements in it, the most urgent freeze first."""
    story = [
        writer.para(brief.municipality, "eyebrow"),
        writer.para(heading, "title"),
        writer.para(
            _(
                "The procurements of the plan that are strategic for review, ordered by the requirements "
                "freeze: politicians must give their guidance before the requirements are set."
            ),
            "muted",
        ),
        # The first time the brief names the requirements freeze, it says what it is.
        writer.para(
            _("Requirements freeze: the last day to influence the requirements before the advertisement."),
            "muted",
        ),
        Spacer(1, 8),
    ]
    if not brief.items:
        story.append(writer.para(_("No strategic procurements in this selection."), "body"))
        return story
    rows = [
        [
            writer.para(_("Reference"), "label"),
            writer.para(_("Procurement"), "label"),
            writer.para(_("Department"), "label"),
            writer.para(_("Requirements freeze"), "label"),
        ]
    ]
    for item in brief.items:
        rows.append(
            [
                writer.para(item.ref, "cell"),
                writer.para(item.title, "cell"),
                writer.para(item.department, "cell"),
                writer.para(_iso(item.freeze_date), "cell"),
            ]
        )
    width = A4[0] - 2 * MARGIN
    table = _ruled_table(
        rows,
        [22 * mm, width - 22 * mm - 56 * mm - 26 * mm, 56 * mm, 26 * mm],
        writer,
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        repeatRows=1,
    )
    story.append(writer.para(_("%(count)d strategic procurements") % {"count": len(brief.items)}, "section"))
    story.append(table)
    return story


def _facts(item: BriefItem, writer: Writer) -> Table:
    freeze = _iso(item.freeze_date)
    if item.freeze_passed:
        freeze = _("%(date)s (passed)") % {"date": freeze}
    pairs = [
        (_("Estimated value"), item.value, _("Status"), item.status_label),
        (
            _("Kraljic quadrant"),
            item.quadrant_label,
            _("Planned advertisement"),
            _iso(item.planned_advertisement),
        ),
        (_("Priority"), item.priority, _("Requirements freeze"), freeze),
        # The category's climate impact: a fact about the procurement, not a requirement planned.
        (_("Climate impact"), item.climate_impact, "", ""),
        (
            _("Responsible officer"),
            item.officer or _("No officer"),
            _("The department's expert"),
            _expert(item),
        ),
    ]
    rows = [
        [writer.para(a, "label"), writer.para(b, "cell"), writer.para(c, "label"), writer.para(d, "cell")]
        for a, b, c, d in pairs
    ]
    width = A4[0] - 2 * MARGIN
    table = Table(rows, colWidths=[width * 0.2, width * 0.28, width * 0.24, width * 0.28])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), writer.regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("BOX", (0, 0), (-1, -1), 0.4, LINE),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _expert(item: BriefItem) -> str:
    """ "Name, e-mail", whichever is given, or that none is named."""
    return ", ".join(part for part in (item.expert, item.expert_email) if part) or _("No expert named")


def _scores(item: BriefItem, writer: Writer) -> Table:
    rows = [
        [
            writer.para(_("Weight"), "label"),
            Paragraph(
                writer.markup(_("Score")),
                ParagraphStyle("num", parent=writer.styles["label"], alignment=TA_RIGHT),
            ),
            writer.para(_("What contributed"), "label"),
        ]
    ]
    number = ParagraphStyle("number", parent=writer.styles["cell"], fontName=writer.bold, alignment=TA_RIGHT)
    for score in item.scores:
        rows.append(
            [
                writer.para(score.label, "cell"),
                Paragraph(str(score.value), number),
                writer.para(
                    "<br/>".join(writer.markup(reason) for reason in score.reasons), "cell", raw=True
                ),
            ]
        )
    width = A4[0] - 2 * MARGIN
    return _ruled_table(
        rows,
        [50 * mm, 14 * mm, width - 64 * mm],
        writer,
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (1, 0), (1, -1), 8),
    )


def _ruled_table(rows, widths, writer: Writer, *commands, **table_options) -> Table:
    """A table of the brief: in its own font, a rule under the header and a hairline under each row,
    with the table's own further commands (paddings) after these."""
    table = Table(rows, colWidths=widths, **table_options)
    table.setStyle(
        TableStyle(
            [
                # A table's own font (Helvetica unless told) would be named in the PDF, unembedded.
                ("FONTNAME", (0, 0), (-1, -1), writer.regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, LINE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                *commands,
            ]
        )
    )
    return table


def _section(title: str, content: list, writer: Writer) -> KeepTogether:
    # A section heading never stands alone at the foot of a page.
    return KeepTogether([writer.para(title, "section"), *content])


def block(item: BriefItem, writer: Writer) -> list:
    """One procurement: what, where, how much, why strategic, the scores, the requirements, the guidance."""
    head = [
        writer.para(f"{item.ref} · {item.department}", "eyebrow"),
        writer.para(item.title, "heading"),
    ]
    if item.description:
        head.append(writer.para(item.description, "body"))
        head.append(Spacer(1, 6))
    head.append(_facts(item, writer))
    story = [KeepTogether(head)]
    story.append(
        _section(_("Why it is strategic for review"), writer.bullets(item.strategic_reasons), writer)
    )
    story.append(_section(_("Scores and what contributed"), [_scores(item, writer)], writer))
    social = writer.bullets(item.social) or [writer.para(_("None planned."), "muted")]
    story.append(_section(_("Social requirements planned"), social, writer))
    story.append(
        _section(_("Environmental requirements planned"), writer.bullets(item.environmental), writer)
    )
    story.append(writer.para(_("Politicians' guidance"), "section"))
    if not item.guidance:
        story.append(writer.para(_("No guidance given yet."), "muted"))
    for guidance in item.guidance:
        story.append(
            KeepTogether(
                [
                    writer.para(f"<b>{writer.markup(guidance.kind)}</b>", "body", raw=True),
                    writer.para(guidance.text, "body"),
                    writer.para(
                        _("%(who)s, %(when)s")
                        % {"who": guidance.who, "when": _iso(_local_date(guidance.when))},
                        "small",
                    ),
                    Spacer(1, 5),
                ]
            )
        )
    return story


def social_section(brief: Brief, writer: Writer) -> list:
    """Social considerations (issue 18): a few lines after the cover's list, and who asks for social
    requirements, one department a line."""
    social = brief.social
    if social is None:
        return []
    # The heading is kept with the first line; a long list of departments may run onto the next page.
    heading = _section(_("Social considerations"), [writer.para(social.planned, "body")], writer)
    story = [Spacer(1, 8), heading]
    if social.departments:
        labels = (
            _("Department"),
            _("Procurements"),
            _("Social requirements planned"),
            _("Reserved contracts planned"),
        )
        rows = [[writer.para(label, "label") for label in labels]]
        for row in social.departments:
            values = (row.department, row.procurements, row.social, row.reserved)
            rows.append([writer.para(value, "cell") for value in values])
        width = A4[0] - 2 * MARGIN
        widths = [width - 22 * mm - 2 * 40 * mm, 22 * mm, 40 * mm, 40 * mm]
        story += [Spacer(1, 4), _ruled_table(rows, widths, writer, repeatRows=1), Spacer(1, 4)]
    return [*story, writer.para(social.labour, "body"), writer.para(social.decisions, "body")]


def goals_pages(brief: Brief, writer: Writer) -> list:
    """Per goal of the municipality: the goal, and the plan's procurements serving it with how far they
    have come (status, and the awarded value as the reader may see it). Nothing when there are no goals."""
    if not brief.goals:
        return []
    story = [
        PageBreak(),
        writer.para(_("The goals of %(municipality)s") % {"municipality": brief.municipality}, "heading"),
    ]
    width = A4[0] - 2 * MARGIN
    for goal in brief.goals:
        target = _("Target: %(target)s") % {"target": goal.target}
        if goal.target_year:
            target += " " + _("by %(year)s") % {"year": goal.target_year}
        reached = _("Reached: %(reached)s") % {"reached": goal.reached}
        if goal.reached_year:
            reached += f" ({goal.reached_year})"
        head = [writer.para(goal.title, "section"), writer.para(f"{target} · {reached}", "muted")]
        if not goal.procurements:
            story.append(
                KeepTogether(
                    [*head, writer.para(_("No procurement of the plan serves this goal yet."), "muted")]
                )
            )
            continue
        rows = [
            [
                writer.para(label, "label")
                for label in (_("Reference"), _("Procurement"), _("Status"), _("Awarded value"))
            ]
        ]
        rows += [
            [
                writer.para(p.ref, "cell"),
                writer.para(p.title, "cell"),
                writer.para(p.status_label, "cell"),
                writer.para(p.awarded, "cell"),
            ]
            for p in goal.procurements
        ]
        table = _ruled_table(
            rows, [22 * mm, width - 22 * mm - 30 * mm - 34 * mm, 30 * mm, 34 * mm], writer, repeatRows=1
        )
        story.append(KeepTogether([*head, table]))
    return story


def _local_date(moment) -> date:
    return timezone.localtime(moment).date()
