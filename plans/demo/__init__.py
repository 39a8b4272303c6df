"""
The demo: the procurement centre, Falun and Borlänge, their departments, Falun's plan for 2017 (the 99
orders of the minutes) with its outcomes, Falun's adopted plans for 2014–2016, the coming year's plans
on remiss, the centre's desk for that year (a coordinated procurement, the officers' capacities), and one
user per role.

The demo is data (`data/`): each plan is a spreadsheet in the import format, loaded through the same
import code as the import page, so loading the demo also proves the import; demo.json holds what the
import format has no column for (the places, targets, remiss activity, the desk). See loader.py.

Idempotent: what exists is left as it is, so running it twice changes nothing. `reset=True` first
removes the demo municipalities' plans so that they are built again from the data.
"""

from plans.demo.files import DemoDataError
from plans.demo.loader import DATA, DemoResult, demo_data, load_demo
from plans.demo.users import DEMO_PASSWORD, DEMO_USERS, OTHER_OFFICERS, DemoUser, demo_email
from plans.demo.years import coming_year_window, moved_by_years, moved_ref, plan_file_for_year, table_for_year

__all__ = [
    "DATA",
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "OTHER_OFFICERS",
    "DemoDataError",
    "DemoResult",
    "DemoUser",
    "coming_year_window",
    "demo_data",
    "demo_email",
    "load_demo",
    "moved_by_years",
    "moved_ref",
    "plan_file_for_year",
    "table_for_year",
]
