"""
A plan's phase, computed from the calendar and the board's adoption record; never stored, never flipped
by a timer.

1. A plan whose adoption the board has recorded is adopted.
2. Otherwise, before the remiss window it is a draft,
3. inside the window (both the first and the last day included) it is on remiss,
4. after the window it awaits the board's decision.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Phase(StrEnum):
    # Being prepared by the procurement centre; the remiss has not opened.
    DRAFT = "draft"
    # Out for consultation: politicians review, departments comment.
    REMISS = "remiss"
    # The remiss has closed; the procurement board has not yet adopted the plan.
    AWAITING_DECISION = "awaiting_decision"
    # The board has adopted the plan: read-only except for follow-up.
    ADOPTED = "adopted"

    @property
    def label(self) -> str:
        """The phase as people read it, in their language."""
        return LABELS[self]


LABELS = {
    Phase.DRAFT: _("Draft"),
    Phase.REMISS: _("Consultation"),  # "Remiss" in Swedish
    Phase.AWAITING_DECISION: _("Awaiting decision"),
    Phase.ADOPTED: _("Adopted"),
}


def default_remiss_window(plan_year: int) -> tuple[date, date]:
    """1 August – 30 November of the year before the plan year."""
    return date(plan_year - 1, 8, 1), date(plan_year - 1, 11, 30)


def plan_phase(*, today: date, remiss_starts: date, remiss_ends: date, adopted_on: date | None) -> Phase:
    if adopted_on is not None:
        return Phase.ADOPTED
    if today < remiss_starts:
        return Phase.DRAFT
    if today <= remiss_ends:
        return Phase.REMISS
    return Phase.AWAITING_DECISION


@dataclass(frozen=True)
class PhaseStatus:
    phase: Phase
    # Days until the remiss opens (draft) or until its last day (remiss, 0 on the last day); else None.
    days_left: int | None


def plan_phase_status(
    *, today: date, remiss_starts: date, remiss_ends: date, adopted_on: date | None
) -> PhaseStatus:
    phase = plan_phase(
        today=today, remiss_starts=remiss_starts, remiss_ends=remiss_ends, adopted_on=adopted_on
    )
    if phase == Phase.DRAFT:
        return PhaseStatus(phase, (remiss_starts - today).days)
    if phase == Phase.REMISS:
        return PhaseStatus(phase, (remiss_ends - today).days)
    return PhaseStatus(phase, None)
