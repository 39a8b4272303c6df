"""The centre's year as CSV and XLSX: the plan export's columns (plans.exchange.tabular, with its Swedish
CSV: semicolons, decimal commas, a byte-order mark for Excel), the municipality first, and each row's
coordination after the scores. Values as the disclosure lets the reader see them."""

from django.utils.translation import gettext_lazy as _

from plans.exchange.columns import EXPORT_COLUMNS, Column, format_value
from plans.exchange.tabular import export_rows, write_csv, write_xlsx

LEAD, PARTICIPANT, SUGGESTED = "lead", "participant", "suggested"
MUNICIPALITY = Column("municipality", "Kommun", "text")
COORDINATION_COLUMNS = [
    Column(
        "coordination",
        "Samordning",
        "choice",
        names={
            LEAD: ("Samordnad, ledande", "coordinated, lead"),
            PARTICIPANT: ("Samordnad, deltagande", "coordinated, participant"),
            SUGGESTED: ("Kan samordnas", "could be coordinated"),
        },
    ),
    Column("coordinated_procurement", "Samordnad upphandling", "text"),
    Column("coordinated_with", "Samordnad med antal kommuner", "int"),
]
COLUMNS = [MUNICIPALITY, *EXPORT_COLUMNS, *COORDINATION_COLUMNS]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def coordination_state(procurement, suggestions) -> str:
    group = procurement.coordination
    if group is not None and group.is_active:
        return LEAD if group.lead_id == procurement.pk else PARTICIPANT
    return SUGGESTED if procurement.pk in suggestions else ""


def export_year_file(*, procurements, fmt: str, language: str, disclosure, suggestions) -> tuple[bytes, str]:
    """(content, content type) of the year's procurements (a filtered queryset) in fmt, csv or xlsx."""
    procurements = list(
        procurements.select_related("plan__municipality", "department", "officer", "coordination").order_by(
            "plan__municipality__name", "ref"
        )
    )
    header, rows = export_rows(procurements, language=language, disclosure=disclosure)
    header = [MUNICIPALITY.header(language), *header, *(c.header(language) for c in COORDINATION_COLUMNS)]
    for procurement, row in zip(procurements, rows, strict=True):
        group = procurement.coordination
        active = group is not None and group.is_active
        extra = {
            "coordination": coordination_state(procurement, suggestions),
            "coordinated_procurement": group.title if active else "",
            "coordinated_with": procurement.coordinated_with if active else "",
        }
        row.insert(0, procurement.plan.municipality.name)
        row.extend(format_value(column, extra[column.key], language) for column in COORDINATION_COLUMNS)
    if fmt == "csv":
        return write_csv(header, rows, language=language), CONTENT_TYPES[fmt]
    if fmt == "xlsx":
        keys = [column.key for column in COLUMNS]
        content = write_xlsx(
            header, rows, language=language, plan=None, rubric=None, keys=keys, title=_("Procurements")
        )
        return content, CONTENT_TYPES[fmt]
    raise ValueError(fmt)
