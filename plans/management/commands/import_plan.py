from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from accounts.models import Municipality
from plans.exchange.imports import plan_import
from plans.exchange.reading import ImportRefused
from plans.models import Plan


class Command(BaseCommand):
    help = (
        "Import a plan from an XLSX or CSV file (UTF-8, comma or semicolon; Swedish or English headers). "
        "Creates the plan if it is missing. A file with any bad row imports nothing: every bad row is "
        "listed with its line (the header is line 1) and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument(
            "--municipality", required=True, metavar="SLUG", help="The municipality, e.g. falun."
        )
        parser.add_argument(
            "--year", required=True, type=int, metavar="YEAR", help="The plan year, e.g. 2027."
        )
        parser.add_argument(
            "--create-departments",
            action="store_true",
            help="Create the departments that the file names and the municipality lacks.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument("--lang", choices=["sv", "en"], default="sv", help="Language of the messages.")

    def handle(self, *args, file, municipality, year, create_departments, dry_run, lang, **options):
        with translation.override(lang):
            return self._import(Path(file), municipality, year, create_departments, dry_run)

    def _import(self, path, slug, year, create_departments, dry_run):
        try:
            place = Municipality.objects.get(slug=slug)
        except Municipality.DoesNotExist:
            raise CommandError(
                translation.gettext("There is no municipality %(slug)r.") % {"slug": slug}
            ) from None
        if not path.is_file():
            raise CommandError(translation.gettext("There is no file %(path)s.") % {"path": path})
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            # Refused before a byte is read, like an upload.
            raise CommandError(
                translation.gettext("The file is larger than %(limit)d MB.")
                % {"limit": settings.IMPORT_MAX_BYTES // 1_048_576}
            )
        plan = Plan.objects.filter(municipality=place, year=year).first() or Plan(
            municipality=place, year=year
        )
        if plan.pk and plan.is_adopted and not dry_run:
            raise CommandError(translation.gettext("The plan is adopted and can no longer change."))
        try:
            result = plan_import(
                plan=plan,
                filename=path.name,
                content=path.read_bytes(),
                create_departments=create_departments,
                dry_run=dry_run,
                from_command=True,
            )
        except ImportRefused as refused:
            raise CommandError(str(refused)) from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            rows = len({error.line for error in result.errors})
            raise CommandError(
                translation.ngettext(
                    "%(count)d row is bad; nothing was imported.",
                    "%(count)d rows are bad; nothing was imported.",
                    rows,
                )
                % {"count": rows}
            )
        if result.new_departments:
            self.stdout.write(
                translation.gettext("New departments: %(names)s")
                % {"names": ", ".join(result.new_departments)}
            )
        summary = result.summary()
        if dry_run:
            self.stdout.write(
                translation.gettext("Dry run, nothing written: %(summary)s.") % {"summary": summary}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(translation.gettext("Imported: %(summary)s.") % {"summary": summary})
            )
