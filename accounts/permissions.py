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

from plans.phases import Phase


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

    @property
    def staff_municipalities(self) -> frozenset[int]:
        return self.officer_municipalities | self.admin_municipalities

    @property
    def member_municipalities(self) -> frozenset[int]:
        """Every municipality whose drafts this user may read."""
        return self.staff_municipalities | self.politician_municipalities | self.department_municipalities

    @property
    def is_staff_anywhere(self) -> bool:
        return self.superuser or bool(self.staff_municipalities)

    @classmethod
    def anonymous(cls) -> "Access":
        return cls()

    @classmethod
    def for_user(cls, user) -> "Access":
        """Read a user's memberships, with the municipalities of the centres among them, into an Access
        (one query; a superuser's takes one more, for every municipality)."""
        if not getattr(user, "is_authenticated", False):
            return cls.anonymous()
        from .models import Membership, Municipality, Role

        officer, admin = set(), set()
        politician, departments, department_municipalities = set(), set(), set()
        # A centre membership comes once per municipality the centre serves (none: once, with None).
        for role, municipality_id, department_id, served in Membership.objects.filter(user=user).values_list(
            "role", "municipality_id", "department_id", "centre__municipalities__id"
        ):
            if role == Role.OFFICER and served is not None:
                officer.add(served)
            elif role == Role.PLAN_ADMIN and served is not None:
                admin.add(served)
            elif role == Role.POLITICIAN:
                politician.add(municipality_id)
            elif role == Role.DEPARTMENT_REP:
                departments.add(department_id)
                department_municipalities.add(municipality_id)
        if user.is_superuser:
            officer = admin = set(Municipality.objects.values_list("id", flat=True))
        officer, admin = frozenset(officer), frozenset(admin)
        return cls(
            authenticated=True,
            superuser=user.is_superuser,
            officer_municipalities=officer,
            admin_municipalities=admin,
            politician_municipalities=frozenset(politician),
            departments=frozenset(departments),
            department_municipalities=frozenset(department_municipalities),
        )


def access_of(user) -> Access:
    """The Access of a request's user, logged in or not (cached on the user object for the request)."""
    return user.access if getattr(user, "is_authenticated", False) else Access.anonymous()


def can_view_plan(access: Access, *, municipality_id: int, phase: Phase) -> bool:
    """Members of the municipality (and its centre's staff) see every phase; everyone sees adopted plans."""
    return phase == Phase.ADOPTED or municipality_id in access.member_municipalities


def can_view_confidential(access: Access, *, municipality_id: int) -> bool:
    """Fields marked confidential are for the procurement centre's staff only."""
    return municipality_id in access.staff_municipalities


def can_edit_procurements(access: Access, *, municipality_id: int, phase: Phase) -> bool:
    """Officers create, edit and delete procurements until the board has adopted the plan."""
    return municipality_id in access.officer_municipalities and phase != Phase.ADOPTED


def can_manage_plans(access: Access, *, municipality_id: int) -> bool:
    """Plan administrators create plans and set their windows."""
    return municipality_id in access.admin_municipalities


def can_flag_strategic(access: Access, *, municipality_id: int, phase: Phase) -> bool:
    """Officers flag until adoption; the municipality's politicians flag during the remiss."""
    if phase == Phase.ADOPTED:
        return False
    if municipality_id in access.officer_municipalities:
        return True
    return phase == Phase.REMISS and municipality_id in access.politician_municipalities


def can_edit_rubric(access: Access, *, municipality_id: int, phase: Phase) -> bool:
    """Plan administrators set the rubric; an adopted plan keeps the rubric it was scored with."""
    return municipality_id in access.admin_municipalities and phase != Phase.ADOPTED


# --- The remiss: open only while the plan is on remiss (DESIGN §3) --------------------------------


def can_view_review(access: Access, *, municipality_id: int) -> bool:
    """The review queue and its summary are for the municipality and its centre, in every phase."""
    return municipality_id in access.member_municipalities


def can_give_guidance(access: Access, *, municipality_id: int, phase: Phase) -> bool:
    """Politicians of the municipality give guidance and ask for early involvement, during the remiss."""
    return phase == Phase.REMISS and municipality_id in access.politician_municipalities


def can_comment(access: Access, *, municipality_id: int, phase: Phase) -> bool:
    """Department representatives (and politicians) of the municipality comment during the remiss."""
    members = access.politician_municipalities | access.department_municipalities
    return phase == Phase.REMISS and municipality_id in members


def can_answer_comments(access: Access, *, municipality_id: int, phase: Phase) -> bool:
    """Officers answer comments and mark them handled, during the remiss."""
    return phase == Phase.REMISS and municipality_id in access.officer_municipalities


def can_confirm_needs(access: Access, *, department_id: int, phase: Phase) -> bool:
    """A department's representative confirms that its own needs are correctly described."""
    return phase == Phase.REMISS and department_id in access.departments


def can_set_window(access: Access, *, municipality_id: int, phase: Phase) -> bool:
    """Plan administrators move the remiss window until the plan is adopted."""
    return municipality_id in access.admin_municipalities and phase != Phase.ADOPTED


def can_record_adoption(access: Access, *, municipality_id: int, phase: Phase) -> bool:
    """Plan administrators record the board's decision once the remiss has opened."""
    return municipality_id in access.admin_municipalities and phase in (Phase.REMISS, Phase.AWAITING_DECISION)


# --- Follow-up: open in every phase, adopted plans included ---------------------------------------


def can_record_outcomes(access: Access, *, municipality_id: int) -> bool:
    """Officers record what a procurement delivered, before and after the plan's adoption."""
    return municipality_id in access.officer_municipalities


def can_set_targets(access: Access, *, municipality_id: int) -> bool:
    """Plan administrators keep the municipality's targets and the national reference figures."""
    return municipality_id in access.admin_municipalities
