"""
The spreadsheet's columns (DESIGN §4), shared by the importer and the CSV and XLSX exports, so that
an export imports back unchanged.

Each column has its Swedish and English header and knows how to read a cell (either language's
values, whatever the header's language) and how to write one (in the export's language).
"""

from dataclasses import dataclass
from datetime import datetime

from plans.models import Category, ClimateImpact, EnvironmentalLevel, Procedure
from plans.scoring.rules import Quadrant


def _normal(text) -> str:
    return " ".join(str(text).split()).casefold()


# Values in Swedish and in English, by stored code. Matching ignores case and surrounding spaces.
CATEGORY_NAMES = {
    Category.GOODS: ("Vara", "goods"),
    Category.SERVICES: ("Tjänst", "services"),
    Category.WORKS: ("Byggentreprenad", "works"),
}
PROCEDURE_NAMES = {
    Procedure.OPEN: ("Öppet förfarande", "open"),
    Procedure.SELECTIVE: ("Selektivt förfarande", "selective"),
    Procedure.NEGOTIATED_WITH_NOTICE: (
        "Förhandlat förfarande med föregående annonsering",
        "negotiated_with_notice",
    ),
    Procedure.NEGOTIATED_WITHOUT_NOTICE: (
        "Förhandlat förfarande utan föregående annonsering",
        "negotiated_without_notice",
    ),
    Procedure.COMPETITIVE_DIALOGUE: ("Konkurrenspräglad dialog", "competitive_dialogue"),
    Procedure.INNOVATION_PARTNERSHIP: ("Innovationspartnerskap", "innovation_partnership"),
    Procedure.BELOW_THRESHOLD: ("Annonserad upphandling under tröskelvärdena", "below_threshold"),
    Procedure.DIRECT_AWARD: ("Direktupphandling", "direct_award"),
    Procedure.MINI_COMPETITION: ("Förnyad konkurrensutsättning", "mini_competition"),
    Procedure.DYNAMIC_PURCHASING: ("Dynamiskt inköpssystem", "dynamic_purchasing"),
}
CLIMATE_NAMES = {
    ClimateImpact.LOW: ("Låg", "low"),
    ClimateImpact.MEDIUM: ("Medel", "medium"),
    ClimateImpact.HIGH: ("Hög", "high"),
}
ENVIRONMENTAL_NAMES = {
    EnvironmentalLevel.NONE: ("Ingen", "none"),
    EnvironmentalLevel.BAS: ("Bas", "bas"),
    EnvironmentalLevel.AVANCERAD: ("Avancerad", "avancerad"),
    EnvironmentalLevel.SPJUTSPETS: ("Spjutspets", "spjutspets"),
}
QUADRANT_NAMES = {
    Quadrant.STRATEGIC: ("Strategisk", "strategic"),
    Quadrant.LEVERAGE: ("Hävstång", "leverage"),
    Quadrant.BOTTLENECK: ("Flaskhals", "bottleneck"),
    Quadrant.ROUTINE: ("Rutin", "routine"),
}
YES_NO = {True: ("Ja", "yes"), False: ("Nej", "no")}
# Also read: what spreadsheets and people commonly write for yes and no.
EXTRA_BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "j": True, "n": False, "x": True}


def lookup(names: dict) -> dict[str, str]:
    """Every spelling (either language, casefolded) → the stored code."""
    table = {}
    for code, spellings in names.items():
        for spelling in (*spellings, code):
            table[_normal(spelling)] = code
    return table


@dataclass(frozen=True)
class Column:
    key: str  # the field's name, also the English header
    sv: str  # the Swedish header
    kind: str  # text, email, int, amount, date, bool, choice, department, officer
    required: bool = False
    names: dict | None = None  # for kind == "choice": code → (Swedish, English)
    score: bool = False  # a computed column: exported, ignored on import
    outcome: bool = False  # a follow-up column: stored on the procurement's Outcome

    def header(self, language: str) -> str:
        return self.key if language == "en" else self.sv


COLUMNS = [
    Column("ref", "Ref", "text", required=True),
    Column("title", "Benämning", "text", required=True),
    Column("department", "Förvaltning", "department", required=True),
    Column("category", "Kategori", "choice", required=True, names=CATEGORY_NAMES),
    Column("cpv", "CPV", "text", required=True),
    Column("estimated_value_sek", "Uppskattat värde SEK", "amount", required=True),
    Column("duration_months", "Avtalstid mån", "int", required=True),
    Column("planned_advertisement", "Planerad annonsering", "date", required=True),
    Column("current_contract_ends", "Nuvarande avtal löper ut", "date"),
    Column("procedure", "Förfarande", "choice", required=True, names=PROCEDURE_NAMES),
    Column("possible_suppliers", "Antal möjliga leverantörer", "int"),
    Column("business_critical", "Verksamhetskritisk", "bool"),
    Column("high_switching_cost", "Hög bytskostnad", "bool"),
    Column("employment_requirement", "Sysselsättningskrav", "bool"),
    Column("reserved_contract", "Reserverat kontrakt", "bool"),
    Column("labour_conditions", "Arbetsrättsliga villkor", "bool"),
    Column("lots", "Delas i lotter", "bool"),
    Column("climate_impact", "Klimatpåverkan", "choice", required=True, names=CLIMATE_NAMES),
    Column("environmental_level", "Miljökravnivå", "choice", required=True, names=ENVIRONMENTAL_NAMES),
    Column("innovation", "Innovationsupphandling", "bool"),
    Column("officer", "Ansvarig upphandlare", "officer"),
    # The department's expert (sakkunnig) who writes the requirements (issue 14); the order import's too.
    Column("expert_name", "Sakkunnig", "text"),
    Column("expert_email", "Sakkunnigs e-post", "email"),
]
SCORE_COLUMNS = [
    Column("economic_score", "Ekonomisk vikt", "int", score=True),
    Column("social_score", "Social vikt", "int", score=True),
    Column("environmental_score", "Miljövikt", "int", score=True),
    Column("supply_risk_score", "Leveransrisk", "int", score=True),
    Column("kraljic", "Kraljic", "choice", names=QUADRANT_NAMES, score=True),
    Column("strategic", "Strategisk", "bool", score=True),
    Column("priority", "Prioritet", "decimal", score=True),
]
# Read on import when present, never required: the description and the confidential flag are not
# among DESIGN's columns, but a file that has them should not lose them.
OPTIONAL_COLUMNS = [
    Column("description", "Beskrivning", "text"),
    Column("confidential", "Sekretess", "bool"),
]
STATUS_NAMES = {
    "not_started": ("Ej påbörjad", "not_started"),
    "advertised": ("Annonserad", "advertised"),
    "awarded": ("Tilldelad", "awarded"),
    "cancelled": ("Avbruten", "cancelled"),
    "appealed": ("Överprövad", "appealed"),
}
APPEAL_NAMES = {
    "pending": ("Pågår", "pending"),
    "rejected": ("Avslag", "rejected"),
    "upheld": ("Bifall", "upheld"),
    "withdrawn": ("Återkallad", "withdrawn"),
}
# The follow-up (issue 6): optional on import, exported on request after the scores.
OUTCOME_COLUMNS = [
    Column("status", "Status", "choice", names=STATUS_NAMES, outcome=True),
    Column("advertised_on", "Annonserades", "date", outcome=True),
    Column("bids", "Antal anbud", "count", outcome=True),
    Column("sme_bids", "Anbud från små och medelstora företag", "count", outcome=True),
    Column("appealed", "Överprövad", "bool", outcome=True),
    Column("appeal_outcome", "Domstolens utfall", "choice", names=APPEAL_NAMES, outcome=True),
    Column("awarded_value_sek", "Tilldelat värde SEK", "amount", outcome=True),
    Column("contract_starts", "Avtalsstart", "date", outcome=True),
    Column("people_employed", "Anställda genom sysselsättningskrav", "count", outcome=True),
    Column("internships", "Praktikplatser", "count", outcome=True),
    Column("social_enterprise_awarded", "Tilldelat socialt företag", "bool", outcome=True),
    Column(
        "environmental_level_reached",
        "Uppnådd miljökravnivå",
        "choice",
        names=ENVIRONMENTAL_NAMES,
        outcome=True,
    ),
]
EXPORT_COLUMNS = COLUMNS + SCORE_COLUMNS
IMPORT_COLUMNS = COLUMNS + OPTIONAL_COLUMNS + OUTCOME_COLUMNS

HEADER_LOOKUP = {
    _normal(spelling): column
    for column in EXPORT_COLUMNS + OPTIONAL_COLUMNS + OUTCOME_COLUMNS
    for spelling in (column.key, column.sv)
}


def column_for_header(header) -> Column | None:
    if header is None:
        return None
    return HEADER_LOOKUP.get(_normal(header))


def format_value(column: Column, value, language: str):
    """A stored value as the export writes it (XLSX keeps numbers and dates as such)."""
    index = 1 if language == "en" else 0
    if value is None or value == "":
        return ""
    if column.kind == "bool":
        return YES_NO[bool(value)][index]
    if column.kind == "choice":
        return column.names[value][index]
    if isinstance(value, datetime):
        return value.date()
    return value


def normal(text) -> str:
    """How headers and values are matched: case and surrounding (and repeated) spaces ignored."""
    return _normal(text)
