from django.core.management.base import BaseCommand
from django.utils import timezone

from plans.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: Falun and Borlänge, their departments, Falun's 2017 plan (99 procurements "
        "modelled on the minutes), next year's plans on remiss, and one demo user per role. Idempotent: "
        "what already exists is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo municipalities' plans first and build them again from the demo data.",
        )

    def handle(self, *args, reset=False, verbosity=1, **options):
        result = load_demo(today=timezone.localdate(), reset=reset)
        if verbosity == 0:
            return
        if result.created_plans:
            for plan in result.created_plans:
                self.stdout.write(f"Created {plan} ({plan.procurements.count()} procurements)")
        else:
            self.stdout.write("The demo was already loaded; nothing changed.")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<20} {spec.description}")
