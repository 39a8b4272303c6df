from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from plans.demo import DEMO_PASSWORD, DEMO_USERS, DemoDataError, demo_data, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: Falun and Borlänge, their departments, Falun's 2017 plan (99 procurements "
        "modelled on the minutes) and its outcomes, the adopted plans of 2014-2016, next year's plans on "
        "remiss, the centre's desk for next year, and one demo user per role. Each plan is a file in "
        "plans/demo/data/, loaded through the import. Idempotent: what already exists is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo municipalities' plans first and build them again from the demo's files.",
        )

    def handle(self, *args, reset=False, verbosity=1, **options):
        try:
            result = load_demo(today=timezone.localdate(), reset=reset)
        except DemoDataError as error:
            raise CommandError(f"The demo was not loaded (nothing changed): {error}") from None
        if verbosity == 0:
            return
        if result.created_plans:
            for plan in result.created_plans:
                self.stdout.write(f"Created {plan} ({plan.procurements.count()} procurements)")
            coming = timezone.localdate().year + 1
            if any(plan.year == coming for plan in result.created_plans):
                centre = demo_data()["centre"]["slug"]
                desk = reverse("centre:year", kwargs={"centre": centre, "year": coming})
                self.stdout.write(
                    f"The centre's desk of {coming} (a coordinated procurement, suggestions, the officers' "
                    f"capacities): {desk}"
                )
        else:
            self.stdout.write("The demo was already loaded; nothing changed.")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<20} {spec.description}")
