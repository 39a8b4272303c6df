"""
The department's desk on the start page (issue 14): what a department representative follows of the
plans being built.

1. Their departments' orders, in every plan of their municipality that is not adopted: the questions
   waiting for their answer first, then the rest, newest first.
2. The procurements in those plans that came from them: their department's own, and those their
   orders were accepted as or merged into, each with its responsible officer.
3. The answers to their comments: comments they wrote, or wrote on behalf of their department, that an
   officer has answered, newest answer first.

Each list is one query whatever the amount of data, and at most LIMIT rows (one more is read to know
that there are more: the page then links to the whole list).
"""

from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When

from accounts.permissions import Access
from plans.models import Comment, Order, Procurement
from plans.orders.rules import OrderStatus

LIMIT = 25
ANSWERS_LIMIT = 10
TAKEN_IN = (OrderStatus.ACCEPTED.value, OrderStatus.MERGED.value)


@dataclass
class Listing:
    rows: list
    # There are more than the rows shown.
    more: bool = False


@dataclass
class DepartmentDesk:
    orders: Listing
    procurements: Listing
    answers: Listing
    # The plans of the orders shown, for the links to each plan's whole list of orders ({pk: plan}).
    order_plans: dict = field(default_factory=dict)
    # The plans of the procurements shown, for the links to the plans ({pk: plan}).
    procurement_plans: dict = field(default_factory=dict)
    # The department's code when the representative speaks for one: the plan page's filter.
    department_code: str = ""
    # How many questions wait for an answer, counted beyond the rows shown when they fill the list.
    questions_waiting: int = 0

    @property
    def empty(self) -> bool:
        return not (self.orders.rows or self.procurements.rows or self.answers.rows)


def _listing(queryset, limit: int) -> Listing:
    rows = list(queryset[: limit + 1])
    return Listing(rows=rows[:limit], more=len(rows) > limit)


def department_orders(access: Access):
    """The departments' orders in the plans not yet adopted: questions waiting first, then newest first."""
    waiting_first = Case(
        When(status=OrderStatus.QUESTION.value, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Order.objects.filter(
            department_id__in=access.departments,
            plan__municipality_id__in=access.department_municipalities,
            plan__adopted_on__isnull=True,
        )
        .select_related("plan__municipality", "department", "procurement")
        .order_by(waiting_first, "-plan__year", "-created_at", "-pk")
    )


def department_procurements(access: Access):
    """The procurements of the plans not yet adopted that came from the departments: their own, or one
    an order of theirs was accepted as or merged into."""
    ordered = Order.objects.filter(
        procurement=OuterRef("pk"), department_id__in=access.departments, status__in=TAKEN_IN
    )
    return (
        Procurement.objects.filter(
            plan__municipality_id__in=access.department_municipalities, plan__adopted_on__isnull=True
        )
        .filter(Q(department_id__in=access.departments) | Exists(ordered))
        .annotate(ordered=Exists(ordered))
        .select_related("plan__municipality", "department", "officer")
        .order_by("-plan__year", "ref")
    )


def comment_answers(access: Access, user):
    """The user's comments, and their departments', that an officer has answered: newest answer first."""
    return (
        Comment.objects.filter(Q(user=user) | Q(department_id__in=access.departments))
        .filter(procurement__plan__municipality_id__in=access.member_municipalities)
        .exclude(response="")
        .select_related("procurement__plan__municipality", "responded_by", "department")
        .order_by(F("responded_at").desc(nulls_last=True), "-created_at", "-pk")
    )


def department_desk(access: Access, user) -> DepartmentDesk | None:
    """The desk of a department representative (three queries); None for anyone else."""
    if not access.departments:
        return None
    desk = DepartmentDesk(
        orders=_listing(department_orders(access), LIMIT),
        procurements=_listing(department_procurements(access), LIMIT),
        answers=_listing(comment_answers(access, user), ANSWERS_LIMIT),
    )
    for order in desk.orders.rows:
        desk.order_plans.setdefault(order.plan_id, order.plan)
    # Questions come first: only when every row shown is one and there are more is a count needed.
    desk.questions_waiting = sum(1 for order in desk.orders.rows if order.status == OrderStatus.QUESTION)
    if desk.orders.more and desk.questions_waiting == len(desk.orders.rows):
        desk.questions_waiting = department_orders(access).filter(status=OrderStatus.QUESTION.value).count()
    for procurement in desk.procurements.rows:
        desk.procurement_plans.setdefault(procurement.plan_id, procurement.plan)
    if len(access.departments) == 1:
        own = (row.department for row in desk.orders.rows + desk.procurements.rows)
        desk.department_code = next((d.code for d in own if d.pk in access.departments), "")
    return desk
