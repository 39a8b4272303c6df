"""A procurement's people (issue 14): the responsible officer, the department's expert who writes the
requirements, the politicians whose guidance it has, and the departments whose orders it came from,
with the goals it serves. A fixed number of queries for one procurement, however many there are."""

from dataclasses import dataclass, field

from plans.models import Order
from plans.orders.rules import OrderStatus

# The orders that became a procurement, or were merged into one.
TAKEN_IN = (OrderStatus.ACCEPTED.value, OrderStatus.MERGED.value)


def taken_in_orders(procurement):
    """The orders the procurement came from, the first ordered first, with their departments and the
    officers who took them in: one query."""
    return (
        Order.objects.filter(procurement=procurement, status__in=TAKEN_IN)
        .select_related("department", "handled_by")
        .order_by("created_at", "pk")
    )


@dataclass
class People:
    officer: object  # a User, or None
    # The officer's address as this viewer may read it: the municipality's members always, the public where
    # the plan names it for suppliers' questions (Plan.show_officer_email, issue 17); else "".
    officer_email: str
    expert_name: str
    expert_email: str
    # The politicians who gave guidance, each once, the first to give it first.
    politicians: list = field(default_factory=list)
    orders: list = field(default_factory=list)
    goals: list = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """What a strategic procurement still lacks: "officer", "expert"."""
        given = {"officer": self.officer, "expert": self.expert_name or self.expert_email}
        return [name for name, named in given.items() if not named]


def procurement_people(procurement, guidance, *, member: bool = True) -> People:
    """The people of a procurement whose officer is selected; guidance is its guidance with their users
    (already read for the page: no query here for it). Two queries: the orders, the goals. member: the
    viewer is a member of the municipality (or its centre's staff), not the public."""
    politicians, seen = [], set()
    for given in sorted(guidance, key=lambda g: (g.created_at, g.pk)):
        if given.user_id is not None and given.user_id not in seen:
            seen.add(given.user_id)
            politicians.append(given.user)
    officer = procurement.officer
    shows_email = member or procurement.plan.show_officer_email
    return People(
        officer=officer,
        officer_email=(officer.email if officer is not None and shows_email else ""),
        expert_name=procurement.expert_name,
        expert_email=procurement.expert_email,
        politicians=politicians,
        orders=list(taken_in_orders(procurement)),
        goals=list(procurement.goals.order_by("target_year", "title", "pk")),
    )
