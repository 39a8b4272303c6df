"""The coming procurements of a search as CSV (issue 17): one row each, as the public reads them, in the
plan export's dialect (plans.exchange.tabular: Swedish with semicolons and text formulas for number-like
text, so that a spreadsheet keeps a CPV code's leading zero; English with commas)."""

from django.utils import translation
from django.utils.translation import gettext as _

from plans.centre import cpv
from plans.exchange.tabular import write_csv
from plans.register.disclosure import PUBLIC

# The most rows a file holds: the whole country's coming year is a search away, not a download.
MAX_ROWS = 10_000


def pipeline_csv(procurements, *, language: str, site_url: str = "") -> bytes:
    with translation.override(language):
        header = [
            _("Municipality"),
            _("Reference"),
            _("Title"),
            _("Planned advertisement"),
            _("Category"),
            _("CPV code"),
            _("CPV label (English)"),
            _("Procedure"),
            _("Estimated value (SEK)"),
            _("Reserved for social enterprises"),
            _("Divided into lots"),
            _("Draft (not adopted)"),
            _("Address"),
        ]
        yes, no = _("Yes"), _("No")
        rows = []
        for procurement in procurements[:MAX_ROWS]:
            plan = procurement.plan
            value = PUBLIC.value(procurement)
            rows.append(
                [
                    plan.municipality.name,
                    procurement.ref,
                    procurement.title,
                    procurement.planned_advertisement,
                    procurement.get_category_display(),
                    procurement.cpv,
                    cpv.label(procurement.cpv),
                    procurement.get_procedure_display(),
                    value if value is not None else _("Confidential"),
                    yes if procurement.reserved_contract else no,
                    yes if procurement.lots else no,
                    yes if plan.adopted_on is None else no,
                    f"{site_url}{procurement.get_absolute_url()}",
                ]
            )
    return write_csv(header, rows, language=language)
