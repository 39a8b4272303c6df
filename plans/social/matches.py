"""
The one place matches are found (issue 18): which of a centre's social enterprises offer what a
procurement or an order buys (the rule: plans.social.matching), and the centre's coming matches.

The centre's register is read once per request (one query, a few columns) into a matching.Register; a
year's procurements are then matched in Python, a few dictionary lookups each, from the few columns the
rule reads. Only the rows a page shows are read in full.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.db.models.functions import Substr

from accounts.permissions import Access, access_of, can_read_every_order, can_read_orders
from plans.models import Order, Plan, Procurement, Rubric, SocialDecision, SocialEnterprise
from plans.orders.rules import OrderStatus
from plans.pipeline.search import NotAdvertised
from plans.register.disclosure import Disclosure
from plans.scoring.rules import RubricValues
from plans.social.matching import DIVISION, GROUP, Offer, Register, node
from plans.social.suggestions import Matched, Procured, Suggestion, suggest

# Orders still waiting for a decision: the officers may yet make them a procurement with social terms.
OPEN_ORDERS = (OrderStatus.SUBMITTED, OrderStatus.QUESTION, OrderStatus.ANSWERED)


@dataclass(frozen=True)
class Enterprise:
    """A matching enterprise as the pages show it (its name is public; its contact is the register's)."""

    id: int
    name: str
    municipality: str
    reserved_qualified: bool
    capacity: int | None

    @property
    def matched(self) -> Matched:
        return Matched(reserved_qualified=self.reserved_qualified, capacity=self.capacity)


@dataclass
class CentreRegister:
    """A centre's enterprises, read once and indexed for matching."""

    centre_id: int
    centre_slug: str
    register: Register
    enterprises: dict[int, Enterprise]

    # What the enterprises offer at its coarsest (see candidates_q): CPV groups, whole divisions, categories.
    groups: frozenset[str] = frozenset()
    divisions: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    # The categories of the enterprises that gave no codes: those match a procurement of the category
    # whatever its code.
    uncoded_categories: frozenset[str] = frozenset()
    # A year's procurements buy the same codes again and again: each (code, category) is matched once.
    _found: dict = field(default_factory=dict, repr=False)
    _named: dict = field(default_factory=dict, repr=False)

    def candidates_q(self) -> Q:
        """A filter for the rows (procurements or orders, with cpv and category) that might match, for the
        database to leave the others out: a code in a group some enterprise offers a code in, or a whole
        division one offers (98000000), or no code and a category offered, or a category offered by an
        enterprise without codes. Every match is among them (the rule needs a group in common, or the very
        division, or the category); the rule itself then decides."""
        return (
            Q(cpv_group__in=self.groups)
            | Q(cpv_head__in=[division + "000000" for division in self.divisions])
            | Q(cpv="", category__in=self.categories)
            | Q(category__in=self.uncoded_categories)
        )

    @staticmethod
    def annotate(queryset):
        """The columns candidates_q reads."""
        return queryset.annotate(cpv_group=Substr("cpv", 1, GROUP), cpv_head=Substr("cpv", 1, 8))

    def matching_ids(self, *, cpv: str, category: str) -> frozenset[int]:
        key = (cpv or "", category or "")
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = frozenset(self.register.matching(cpv=key[0], category=key[1]))
        return found

    def named(self, ids: Iterable[int]) -> list[Enterprise]:
        """The enterprises of these ids, by name (the same set read once)."""
        ids = frozenset(ids)
        named = self._named.get(ids)
        if named is None:
            enterprises = (self.enterprises[pk] for pk in ids)
            named = self._named[ids] = sorted(enterprises, key=lambda e: (e.name.casefold(), e.id))
        return list(named)

    def matching(self, *, cpv: str, category: str) -> list[Enterprise]:
        return self.named(self.matching_ids(cpv=cpv, category=category))


def _codes(value) -> tuple[str, ...]:
    """A JSON list of codes or categories as strings (anything else read as none)."""
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def centre_register(centre_id: int) -> CentreRegister:
    """The centre's enterprises (one query)."""
    rows = SocialEnterprise.objects.filter(centre_id=centre_id).values_list(
        "id",
        "name",
        "municipality__name",
        "cpv_codes",
        "categories",
        "reserved_qualified",
        "capacity",
        "centre__slug",
    )
    enterprises, offers, slug = {}, [], ""
    nodes, offered_categories, uncoded_categories = set(), set(), set()
    for pk, name, municipality, cpv_codes, categories, qualified, capacity, centre_slug in rows:
        enterprises[pk] = Enterprise(pk, name, municipality, qualified, capacity)
        offer = Offer(pk, _codes(cpv_codes), _codes(categories))
        offers.append(offer)
        nodes.update(node(code) for code in offer.cpv_codes)
        offered_categories.update(offer.categories)
        if not any(node(code) for code in offer.cpv_codes):
            uncoded_categories.update(offer.categories)
        slug = centre_slug
    return CentreRegister(
        centre_id,
        slug,
        Register(offers),
        enterprises,
        groups=frozenset(n[:GROUP] for n in nodes if len(n) >= GROUP),
        divisions=frozenset(n for n in nodes if len(n) == DIVISION),
        categories=frozenset(offered_categories),
        uncoded_categories=frozenset(uncoded_categories),
    )


def matches_for(thing, register: CentreRegister | None = None) -> list[Enterprise]:
    """The enterprises of its centre that offer what a procurement or an order buys (thing.plan's
    municipality's centre; read with the plan's municipality in hand, that is one query)."""
    register = register or centre_register(thing.plan.municipality.centre_id)
    return register.matching(cpv=thing.cpv, category=thing.category)


def suggestion_for(enterprises: list[Enterprise], thing, *, value: int | None, eu_threshold: int):
    """The rule's suggestion for a procurement or an order, with the value as the viewer may see it."""
    procured = Procured(
        value=value,
        eu_threshold=eu_threshold,
        lots=thing.lots,
        reserved_contract=thing.reserved_contract,
        employment_requirement=thing.employment_requirement,
    )
    return suggest([enterprise.matched for enterprise in enterprises], procured)


def measure_label(measure: str) -> str:
    """A suggested measure as the decisions name it ("Reserved contract")."""
    return str(SocialDecision.Decision(measure).label)


# --- The centre's coming matches ----------------------------------------------------------------------


@dataclass(slots=True)
class ComingMatch:
    """A coming procurement that the register offers: its pk and the enterprises' ids, as the list pages
    through them; the rest is read for the rows of the page shown (display_rows)."""

    pk: int
    enterprise_ids: frozenset[int]
    procurement: Procurement | None = None
    enterprises: list[Enterprise] = field(default_factory=list)
    suggestion: Suggestion | None = None
    value: int | None = None
    value_text: str = ""
    recorded: SocialDecision | None = None

    @property
    def suggestion_label(self) -> str:
        return measure_label(self.suggestion.measure) if self.suggestion else ""

    @property
    def enterprise_names(self) -> str:
        """The enterprises' names in one text, ★ after those qualifying for reserved contracts (written
        here rather than looped in the template: a row may name dozens)."""
        return ", ".join(f"{e.name} ★" if e.reserved_qualified else e.name for e in self.enterprises)


def coming_matches(
    *,
    user,
    register: CentreRegister,
    municipality_ids: Iterable[int],
    today: date,
    municipality: int | None = None,
    decided: bool | None = None,
    enterprise: int | None = None,
) -> list[ComingMatch]:
    """The coming procurements of the centre's municipalities that the register offers, in plans the user
    may see, by planned advertisement then ref (one query). Coming: in last year's plan or a later one, not
    yet advertised, awarded or cancelled, and planned for today or later, or late in this year's plan or a
    later one. Filters: one
    municipality, decided or not (None: both), one enterprise."""
    if not register.enterprises:
        return []
    ids = set(municipality_ids)
    if municipality is not None:
        ids &= {municipality}
    # Coming: advertised today or later; and in this year's plans and later ones, those whose planned
    # advertisement has passed without one (late, and still to be decided on). A plan's procurements are
    # advertised in its year and the year before: the plans of last year and later are all there is to
    # read (the bound lets the database leave the years before out at once).
    rows = Procurement.objects.filter(
        Q(planned_advertisement__gte=today) | Q(plan__year__gte=today.year),
        plan__year__gte=today.year - 1,
        plan__municipality_id__in=ids,
        plan__in=Plan.objects.visible_to(user),
    )
    if decided is not None:
        # A decision is part of a draft's consultation: a reader of another municipality's published
        # draft does not see it (as on the procurement page), so there it counts as not decided.
        shown = Q(social_decision__isnull=False) & (
            Q(plan__municipality_id__in=access_of(user).member_municipalities)
            | Q(plan__adopted_on__isnull=False)
        )
        rows = rows.filter(shown if decided else ~shown)
    rows = (
        register.annotate(rows)
        .filter(register.candidates_q())
        .filter(NotAdvertised())
        .order_by("planned_advertisement", "ref", "pk")
        .values_list("pk", "cpv", "category")
    )
    found = []
    for pk, cpv, category in rows:
        matching = register.matching_ids(cpv=cpv, category=category)
        if not matching or (enterprise is not None and enterprise not in matching):
            continue
        found.append(ComingMatch(pk, matching))
    return found


def display_rows(
    matches: list[ComingMatch], *, register: CentreRegister, access: Access
) -> list[ComingMatch]:
    """The rows of the page shown, read in full (two queries whatever their number): the procurement with
    its plan, municipality, department and decision; the value through the municipality's Disclosure; the
    matching enterprises and the suggestion."""
    if not matches:
        return matches
    procurements = (
        Procurement.objects.filter(pk__in=[match.pk for match in matches])
        .select_related("plan__municipality", "department", "social_decision__decided_by")
        .only(
            "pk",
            "ref",
            "title",
            "cpv",
            "category",
            "estimated_value_sek",
            "confidential",
            "lots",
            "reserved_contract",
            "employment_requirement",
            "planned_advertisement",
            "plan__year",
            "plan__adopted_on",
            "plan__municipality__name",
            "plan__municipality__slug",
            "department__name",
            "social_decision__decision",
            "social_decision__reason",
            "social_decision__decided_at",
            "social_decision__decided_by__first_name",
            "social_decision__decided_by__last_name",
            "social_decision__decided_by__username",
        )
        .in_bulk()
    )
    thresholds = eu_thresholds({procurement.plan_id for procurement in procurements.values()})
    disclosures = {}
    for match in matches:
        procurement = procurements[match.pk]
        municipality_id = procurement.plan.municipality_id
        disclosure = disclosures.get(municipality_id)
        if disclosure is None:
            disclosure = disclosures[municipality_id] = Disclosure.of(access, municipality_id=municipality_id)
        match.procurement = procurement
        match.enterprises = register.named(match.enterprise_ids)
        match.value = disclosure.value(procurement)
        match.value_text = disclosure.value_text(procurement)
        # A decision on another municipality's published draft is part of its consultation: not shown.
        consultation = municipality_id in access.member_municipalities or procurement.plan.adopted_on
        match.recorded = getattr(procurement, "social_decision", None) if consultation else None
        match.suggestion = suggestion_for(
            match.enterprises,
            procurement,
            value=match.value,
            eu_threshold=thresholds[procurement.plan_id],
        )
    return matches


def eu_thresholds(plan_ids: Iterable[int]) -> dict[int, int]:
    """{plan id: its rubric's EU threshold} (one query; a plan without a rubric yet has the default)."""
    plan_ids = set(plan_ids)
    found = dict(Rubric.objects.filter(plan_id__in=plan_ids).values_list("plan_id", "eu_threshold"))
    return {pk: found.get(pk, RubricValues().eu_threshold) for pk in plan_ids}


def decision_of(procurement) -> SocialDecision | None:
    """The decision recorded on a procurement, with who decided: read with the procurement where the
    page's lookup joined it (plans.register.access.procurement_for), else in one query."""
    if Procurement.social_decision.is_cached(procurement):
        return getattr(procurement, "social_decision", None)
    return SocialDecision.objects.select_related("decided_by").filter(procurement=procurement).first()


# --- Open orders that match -------------------------------------------------------------------------


def readable_orders_q(access: Access, municipality_ids: Iterable[int]) -> Q:
    """The orders of these municipalities the viewer may open, as plans.orders.access decides it: the
    centre's staff, the politicians and the coordinators read every order of their municipalities, a
    department representative their own department's."""
    readable = {pk for pk in municipality_ids if can_read_orders(access, municipality_id=pk)}
    every = {pk for pk in readable if can_read_every_order(access, municipality_id=pk)}
    return Q(plan__municipality_id__in=every) | Q(
        plan__municipality_id__in=readable, department_id__in=access.departments
    )


def open_order_matches(*, access: Access, register: CentreRegister, municipality_ids: Iterable[int]):
    """The open orders (waiting for an officer or for the department's answer) of plans not adopted that
    the register offers and the viewer may open: [(order, enterprises)] by plan, then order (two queries)."""
    if not register.enterprises:
        return []
    readable = readable_orders_q(access, municipality_ids)
    rows = (
        register.annotate(
            Order.objects.filter(readable, status__in=OPEN_ORDERS, plan__adopted_on__isnull=True)
        )
        .filter(register.candidates_q())
        .order_by()
        .values_list("pk", "cpv", "category")
    )
    matched = {}
    for pk, cpv, category in rows:
        ids = register.matching_ids(cpv=cpv, category=category)
        if ids:
            matched[pk] = ids
    if not matched:
        return []
    orders = (
        Order.objects.filter(pk__in=matched)
        .select_related("plan__municipality", "department")
        .only(
            "pk",
            "title",
            "cpv",
            "category",
            "status",
            "plan__year",
            "plan__adopted_on",
            "plan__municipality__name",
            "plan__municipality__slug",
            "department__name",
        )
        .order_by("plan__municipality__name", "plan__year", "pk")
    )
    return [(order, register.named(matched[order.pk])) for order in orders]
