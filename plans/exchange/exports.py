"""The plan's downloads: CSV and XLSX (exports/tabular.py) and the OCDS release package (exports/ocds.py)."""

import json

from django.conf import settings

from plans.exchange.ocds import release_package, with_release_data
from plans.exchange.tabular import export_rows, write_csv, write_xlsx
from plans.models import Rubric


def export_plan_file(
    *,
    plan,
    procurements,
    fmt: str,
    language: str,
    disclosure,
    now,
    outcomes=False,
    reader=None,
    query="",
    officer_emails=True,
):
    """(content, content type, file extension) of the plan's export in the format asked for, with what
    the disclosure (plans.register.disclosure) lets its reader see; reader (an Access; None: the public)
    decides which other plans of a coordinated procurement the OCDS package points to. query: the
    address's query string (the page's filters), kept in the OCDS package's uri."""
    if fmt == "ocds":
        uri = f"{settings.SITE_URL}{plan.get_absolute_url()}export.json" + (f"?{query}" if query else "")
        # The orders' needs are the releases' rationale (ocds.ordered_needs), the outcome their tender's
        # status: a few queries for them all (with_release_data).
        package = release_package(
            plan=plan,
            procurements=with_release_data(procurements.order_by("ref")),
            disclosure=disclosure,
            uri=uri,
            published=now,
            reader=reader,
        )
        content = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
        return content, "application/json; charset=utf-8", "json"

    related = ["department", "officer", "plan__municipality__centre"] + (["outcome"] if outcomes else [])
    procurements = procurements.select_related(*related).order_by("ref")
    header, rows = export_rows(
        procurements,
        language=language,
        disclosure=disclosure,
        outcomes=outcomes,
        officer_emails=officer_emails,
    )
    if fmt == "csv":
        return write_csv(header, rows, language=language), "text/csv; charset=utf-8", "csv"
    if fmt == "xlsx":
        rubric = Rubric.objects.get(plan=plan)
        content = write_xlsx(header, rows, language=language, plan=plan, rubric=rubric)
        return content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    raise ValueError(fmt)
