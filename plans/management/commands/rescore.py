from django.core.management.base import BaseCommand, CommandError

from plans.models import Plan
from plans.scoring.services import plans_rescore


class Command(BaseCommand):
    help = (
        "Score every procurement again with its plan's rubric: all plans, or one plan with "
        "--municipality and --year. Adopted plans keep the scores they were adopted with and are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality", metavar="SLUG", help="The municipality's short name, e.g. falun."
        )
        parser.add_argument("--year", type=int, metavar="YEAR", help="The plan year, e.g. 2027.")

    def handle(self, *args, municipality=None, year=None, **options):
        if (municipality is None) != (year is None):
            raise CommandError("Give both --municipality and --year, or neither.")
        plans = Plan.objects.select_related("municipality").order_by("municipality__slug", "year")
        if municipality is not None:
            plans = plans.filter(municipality__slug=municipality, year=year)
            if not plans.exists():
                raise CommandError(f"There is no plan {year} for the municipality {municipality!r}.")
        plans = list(plans)
        for plan in plans:
            if plan.is_adopted:
                self.stdout.write(f"Skipped {plan}: adopted plans keep their scores.")
        # All the open plans at once: one UPDATE per distinct rubric, whatever the number of plans.
        rescore = [plan for plan in plans if not plan.is_adopted]
        counts = plans_rescore(plans=rescore)
        for plan in rescore:
            self.stdout.write(f"Rescored {plan}: {counts.get(plan.pk, 0)} procurements")
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} procurements rescored."))
