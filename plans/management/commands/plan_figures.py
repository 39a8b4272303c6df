import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from plans.followup.figures import FIGURES, compare
from plans.followup.services import national_references, plan_figures, plan_targets
from plans.goals.display import figure_text
from plans.models import Goal, Plan
from plans.register.disclosure import CENTRE


class Command(BaseCommand):
    help = (
        "Print a plan's key figures (delivered vs ordered, average bids, single-bid share, appeal rate, SME "
        "share, social and environmental requirements, innovation, planned and awarded value) beside the "
        "municipality's targets and the national reference figures, as text or JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality", required=True, metavar="SLUG", help="The municipality, e.g. falun."
        )
        parser.add_argument(
            "--year", required=True, type=int, metavar="YEAR", help="The plan year, e.g. 2017."
        )
        parser.add_argument(
            "--format", choices=["json", "text"], default="text", help="text (default) or json."
        )
        parser.add_argument("--lang", choices=["sv", "en"], default="sv", help="Language of the labels.")

    def handle(self, *args, municipality, year, format, lang, **options):
        plan = (
            Plan.objects.select_related("municipality")
            .filter(municipality__slug=municipality, year=year)
            .first()
        )
        if plan is None:
            raise CommandError(f"There is no plan {year} for the municipality {municipality!r}.")
        targets = plan_targets(plan)
        goals = list(Goal.objects.filter(municipality_id=plan.municipality_id))
        with translation.override(lang):
            rows = compare(plan_figures(plan, CENTRE), targets, national_references())
            if format == "json":
                self.stdout.write(json.dumps(self.as_json(plan, rows, goals), ensure_ascii=False, indent=2))
            else:
                self.write_text(plan, rows, goals)

    @staticmethod
    def number(value):
        return None if value is None else (value if isinstance(value, int) else float(value))

    def as_json(self, plan, rows, goals):
        return {
            "municipality": plan.municipality.slug,
            "year": plan.year,
            "figures": {
                row.key: {
                    "label": row.label,
                    "unit": row.unit,
                    "value": self.number(row.value),
                    "target": self.number(row.target),
                    "national": self.number(row.national),
                    "national_year": row.national_year,
                    "meets_target": row.meets_target,
                }
                for row in rows
            },
            # The municipality's goals (they replaced the plan's custom targets).
            "goals": [
                {
                    "title": goal.title,
                    "target": self.number(goal.target_value),
                    "unit": goal.unit,
                    "target_year": goal.target_year,
                    "reached": self.number(goal.reached),
                    "reached_year": goal.reached_year,
                }
                for goal in goals
            ],
        }

    def write_text(self, plan, rows, goals):
        self.stdout.write(f"{plan}")
        width = max(len(str(FIGURES[row.key][0])) for row in rows) + 2
        for row in rows:
            parts = [f"{row.label:<{width}}{self.shown(row.value, row.unit):>14}"]
            if row.target is not None:
                parts.append(f"{translation.gettext('target')} {self.shown(row.target, row.unit)}")
            if row.national is not None:
                national = self.shown(row.national, row.unit)
                parts.append(f"{translation.gettext('Sweden')} {national} ({row.national_year})")
            self.stdout.write("  ".join(parts))
        for goal in goals:
            reached = figure_text(goal.reached, goal.unit).replace("\u00a0", " ")
            target = figure_text(goal.target_value, goal.unit).replace("\u00a0", " ")
            by = f" ({goal.target_year})" if goal.target_year else ""
            self.stdout.write(
                f"{goal.title:<{width}}{reached:>14}  {translation.gettext('target')} {target}{by}"
            )

    @staticmethod
    def shown(value, unit):
        from plans.templatetags.plan_tags import figure

        return figure(value, unit).replace("\u00a0", " ")
