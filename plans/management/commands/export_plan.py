from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from plans.exchange.exports import export_plan_file
from plans.models import Plan
from plans.register.disclosure import CENTRE, PUBLIC


class Command(BaseCommand):
    help = (
        "Export a plan as XLSX or CSV (the import columns, then the scores: an export imports back "
        "unchanged) or as an OCDS 1.1 release package (JSON). Everything is included, confidential "
        "values too: the command line is the procurement centre's."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality", required=True, metavar="SLUG", help="The municipality, e.g. falun."
        )
        parser.add_argument(
            "--year", required=True, type=int, metavar="YEAR", help="The plan year, e.g. 2027."
        )
        parser.add_argument(
            "--format", required=True, choices=["xlsx", "csv", "ocds"], help="The file format."
        )
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="Where to write the file.")
        parser.add_argument(
            "--lang",
            choices=["sv", "en"],
            default="sv",
            help="Headers and values in Swedish (default) or English.",
        )
        parser.add_argument(
            "--outcomes",
            action="store_true",
            help="Add the follow-up columns (status, bids, appeals, awarded value …) after the scores.",
        )
        parser.add_argument(
            "--public",
            action="store_true",
            help="Leave out confidential values, as the public export does.",
        )

    def handle(self, *args, municipality, year, format, output, lang, public, outcomes, **options):
        plan = Plan.objects.select_related("municipality__centre").filter(
            municipality__slug=municipality, year=year
        )
        plan = plan.first()
        if plan is None:
            raise CommandError(f"There is no plan {year} for the municipality {municipality!r}.")
        content, _content_type, _extension = export_plan_file(
            plan=plan,
            procurements=plan.procurements.all(),
            fmt=format,
            language=lang,
            disclosure=PUBLIC if public else CENTRE,
            now=timezone.now(),
            outcomes=outcomes,
        )
        Path(output).write_bytes(content)
        count = plan.procurements.count()
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} procurements of {plan} to {output} ({format})."))
