"""
Who may do what: plain rules on plain values, tested without a database.

`Access` is what one user's memberships amount to, as sets of ids. The rules take an Access and the
facts about the thing asked for (its municipality, the plan's phase) and answer yes or no.

- UhC staff (procurement officers and plan administrators) see every municipality their centre serves,
  including fields marked confidential.
- Politicians and department representatives see the plans of their own municipality.
- Everyone, logged in or not, sees adopted plans, without confidential fields.
- Procurements are edited by officers, and only while the plan is not adopted.
"""

from dataclasses import dataclass, field

# A plan's phases as the rules read them: the values of plans.remiss.phases.Phase (a test holds the two
# together). accounts depends on nothing in plans, so the rules take a phase as its plain value.
DRAFT, REMISS, AWAITING_DECISION, ADOPTED = "draft", "remiss", "awaiting_decision", "adopted"


@dataclass(frozen=True)
class Access:
    authenticated: bool = False
    superuser: bool = False
    # Municipalities served by a centre where the user is a procurement officer / plan administrator.
    officer_municipalities: frozenset[int] = field(default_factory=frozenset)
    admin_municipalities: frozenset[int] = field(default_factory=frozenset)
    politician_municipalities: frozenset[int] = field(default_factory=frozenset)
    # Department representatives: their departments, and those departments' municipalities.
    departments: frozenset[int] = field(default_factory=frozenset)
    department_municipalities: frozenset[int] = field(default_factory=frozenset)
    # The procurement centres where the user is an officer / a plan administrator (issue 16: the desk).
    officer_centres: frozenset[int] = field(default_factory=frozenset)
    admin_centres: frozenset[int] = field(default_factory=frozenset)
    # Labour-market coordinators (issue 18): their municipalities, and the centres serving them.
    coordinator_municipalities: frozenset[int] = field(default_factory=frozenset)
    coordinator_centres: frozenset[int] = field(default_factory=frozenset)

    @property
    def staff_municipalities(self) -> frozenset[int]:
        return self.officer_municipalities | self.admin_municipalities

    @property
    def member_municipalities(self) -> frozenset[int]:
        """Every municipality whose drafts this user may read."""
        return (
            self.staff_municipalities
            | self.politician_municipalities
            | self.department_municipalities
            | self.coordinator_municipalities
        )

    @property
    def staff_centres(self) -> frozenset[int]:
        return self.officer_centres | self.admin_centres

    @property
    def is_staff_anywhere(self) -> bool:
        return self.superuser or bool(self.staff_municipalities)

    @classmethod
    def anonymous(cls) -> "Access":
        return cls()


def access_of(user) -> Access:
    """The Access of a request's user, logged in or not (cached on the user object for the request)."""
    return user.access if getattr(user, "is_authenticated", False) else Access.anonymous()


def can_view_plan(access: Access, *, municipality_id: int, phase: str, publish_draft: bool = False) -> bool:
    """Members of the municipality (and its centre's staff) see every phase; everyone sees adopted plans,
    and a draft its municipality publishes (publish_draft, issue 17) once the remiss has opened."""
    if phase == ADOPTED or municipality_id in access.member_municipalities:
        return True
    return publish_draft and phase in (REMISS, AWAITING_DECISION)


def can_view_confidential(access: Access, *, municipality_id: int) -> bool:
    """Fields marked confidential are for the procurement centre's staff only."""
    return municipality_id in access.staff_municipalities


def can_edit_procurements(access: Access, *, municipality_id: int, phase: str) -> bool:
    """Officers create, edit and delete procurements until the board has adopted the plan."""
    return municipality_id in access.officer_municipalities and phase != ADOPTED


def can_manage_plans(access: Access, *, municipality_id: int) -> bool:
    """Plan administrators create plans and set their windows."""
    return municipality_id in access.admin_municipalities


def can_flag_strategic(access: Access, *, municipality_id: int, phase: str) -> bool:
    """Officers flag until adoption; the municipality's politicians flag during the remiss."""
    if phase == ADOPTED:
        return False
    if municipality_id in access.officer_municipalities:
        return True
    return phase == REMISS and municipality_id in access.politician_municipalities


def can_edit_rubric(access: Access, *, municipality_id: int, phase: str) -> bool:
    """Plan administrators set the rubric; an adopted plan keeps the rubric it was scored with."""
    return municipality_id in access.admin_municipalities and phase != ADOPTED


# --- The remiss: open only while the plan is on remiss (DESIGN §3) --------------------------------


def can_view_review(access: Access, *, municipality_id: int) -> bool:
    """The review queue and its summary are for the municipality and its centre, in every phase."""
    return municipality_id in access.member_municipalities


def can_give_guidance(access: Access, *, municipality_id: int, phase: str) -> bool:
    """Politicians of the municipality give guidance and ask for early involvement, during the remiss."""
    return phase == REMISS and municipality_id in access.politician_municipalities


def can_comment(access: Access, *, municipality_id: int, phase: str) -> bool:
    """Department representatives (and politicians) of the municipality comment during the remiss."""
    members = access.politician_municipalities | access.department_municipalities
    return phase == REMISS and municipality_id in members


def can_answer_comments(access: Access, *, municipality_id: int, phase: str) -> bool:
    """Officers answer comments and mark them handled, during the remiss."""
    return phase == REMISS and municipality_id in access.officer_municipalities


def can_confirm_needs(access: Access, *, department_id: int, phase: str) -> bool:
    """A department's representative confirms that its own needs are correctly described."""
    return phase == REMISS and department_id in access.departments


def can_set_window(access: Access, *, municipality_id: int, phase: str) -> bool:
    """Plan administrators move the remiss window until the plan is adopted."""
    return municipality_id in access.admin_municipalities and phase != ADOPTED


def can_record_adoption(access: Access, *, municipality_id: int, phase: str) -> bool:
    """Plan administrators record the board's decision once the remiss has opened."""
    return municipality_id in access.admin_municipalities and phase in (REMISS, AWAITING_DECISION)


# --- Follow-up: open in every phase, adopted plans included ---------------------------------------


def can_record_outcomes(access: Access, *, municipality_id: int) -> bool:
    """Officers record what a procurement delivered, before and after the plan's adoption."""
    return municipality_id in access.officer_municipalities


def can_set_targets(access: Access, *, municipality_id: int) -> bool:
    """Plan administrators keep the municipality's targets and the national reference figures."""
    return municipality_id in access.admin_municipalities


# --- Orders: the departments order, the officers take the orders in (issue 14) --------------------


def can_read_orders(access: Access, *, municipality_id: int) -> bool:
    """The municipality's members read its orders (politicians read, never write), as does its centre."""
    return municipality_id in access.member_municipalities


def can_read_every_order(access: Access, *, municipality_id: int) -> bool:
    """The centre's staff, the politicians and the labour-market coordinator (issue 18: the matches on the
    departments' orders are theirs to follow) read every order of the municipality; a department
    representative reads only their own department's."""
    readers = (
        access.staff_municipalities | access.politician_municipalities | access.coordinator_municipalities
    )
    return municipality_id in readers


def can_place_order(access: Access, *, department_id: int, window_open: bool, phase: str) -> bool:
    """A department representative orders for their own department while the order window is open."""
    return window_open and phase != ADOPTED and department_id in access.departments


def can_answer_order(access: Access, *, department_id: int, phase: str) -> bool:
    """The ordering department answers an officer's question, in the window or after it."""
    return phase != ADOPTED and department_id in access.departments


def can_handle_orders(access: Access, *, municipality_id: int, phase: str) -> bool:
    """Officers take orders in (accept, merge, ask, decline) until the plan is adopted, window or not."""
    return phase != ADOPTED and municipality_id in access.officer_municipalities


# --- The municipality's goals (issue 14) ----------------------------------------------------------


def can_read_goals(access: Access, *, municipality_id: int) -> bool:
    """The municipality's members and its centre's staff read its goals (as they read its plans)."""
    return municipality_id in access.member_municipalities


def can_manage_goals(access: Access, *, municipality_id: int) -> bool:
    """Plan administrators keep the municipality's goals (as they keep its targets); officers do not."""
    return municipality_id in access.admin_municipalities


# --- The centre's desk: its whole year, coordination, officer capacity (issue 16) -----------------


def can_view_centre(access: Access, *, centre_id: int) -> bool:
    """The centre's officers and plan administrators see its year across every municipality it serves."""
    return centre_id in access.staff_centres


def can_coordinate(access: Access, *, centre_id: int) -> bool:
    """Officers join procurements of the centre's municipalities into coordinated procurements, and part
    them again."""
    return centre_id in access.officer_centres


def can_assign_officers(access: Access, *, centre_id: int) -> bool:
    """Officers and plan administrators assign a responsible officer from the capacity table."""
    return centre_id in access.staff_centres


def can_set_capacity(access: Access, *, centre_id: int) -> bool:
    """Plan administrators set each officer's capacity and the weights of the load."""
    return centre_id in access.admin_centres


# --- Social enterprises and the labour reserve (issue 18) -----------------------------------------


def can_read_social_register(access: Access, *, centre_id: int, municipality_ids: frozenset[int]) -> bool:
    """The centre's register of social enterprises is read by the centre's staff and by the members of the
    municipalities it serves (departments look there for what the enterprises offer); another centre's
    register is not theirs to see."""
    return centre_id in access.staff_centres | access.coordinator_centres or bool(
        municipality_ids & access.member_municipalities
    )


def can_edit_social_register(access: Access, *, centre_id: int) -> bool:
    """The centre's staff and the labour-market coordinators of its municipalities keep the register."""
    return centre_id in access.staff_centres | access.coordinator_centres


def can_view_matches(access: Access, *, centre_id: int) -> bool:
    """The page of coming matches is the coordinators' and the centre's staff's working list."""
    return centre_id in access.staff_centres | access.coordinator_centres


def can_decide_match(access: Access, *, municipality_id: int, phase: str) -> bool:
    """Officers record what was decided on a procurement's match (it may change the procurement's
    requirements), until the plan is adopted."""
    return municipality_id in access.officer_municipalities and phase != ADOPTED


def can_keep_labour_reserve(access: Access, *, municipality_id: int) -> bool:
    """The municipality's labour-market coordinator and its centre's plan administrators keep its labour
    reserve figures."""
    return municipality_id in access.coordinator_municipalities | access.admin_municipalities
