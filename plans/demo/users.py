"""The demo's logins, one per role, and the colleagues who are responsible for procurements but never log in.

Every demo user's e-mail address is ``<username>@demo.upphandlingsplan.se``: the plan files name the
responsible officer by that address (the column "Ansvarig upphandlare"), as the import wants it.
"""

from dataclasses import dataclass

from accounts.models import Role

DEMO_PASSWORD = "demo"
EMAIL_DOMAIN = "demo.upphandlingsplan.se"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    place: str  # "centre", a municipality slug, or "<municipality slug>:<department code>"
    description: str


DEMO_USERS = [
    DemoUser("upphandlare", "Anna", "Lindqvist", Role.OFFICER, "centre", "procurement officer at UhC"),
    DemoUser("planadmin", "Per", "Ström", Role.PLAN_ADMIN, "centre", "plan administrator at UhC"),
    DemoUser("politiker", "Karin", "Berglund", Role.POLITICIAN, "falun", "politician in Falun"),
    DemoUser(
        "lugi", "Johan", "Ek", Role.DEPARTMENT_REP, "falun:SERV", "Falun's Serviceförvaltningen in LUGI"
    ),
    DemoUser("buf", "Sara", "Nyberg", Role.DEPARTMENT_REP, "falun:BUF", "Falun's Barn- och utbildning"),
    DemoUser("omsorg", "Lena", "Dahl", Role.DEPARTMENT_REP, "falun:OMV", "Falun's Omvårdnadsförvaltningen"),
    DemoUser("politiker-borlange", "Maria", "Holm", Role.POLITICIAN, "borlange", "politician in Borlänge"),
    DemoUser("matchare", "Eva", "Lund", Role.COORDINATOR, "falun", "Falun's labour-market coordinator (AIK)"),
]
# Officers at the centre who are responsible for procurements but do not log in to the demo.
OTHER_OFFICERS = [("stefan.g", "Stefan", "Gehrke"), ("karolina.g", "Karolina", "Gistö")]


def demo_email(username: str) -> str:
    return f"{username}@{EMAIL_DOMAIN}"
