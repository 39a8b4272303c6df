"""Recording what was decided on a procurement's match with the register (issue 18): one transaction.

The decision is kept on the procurement (SocialDecision, one each, versioned: an edit based on an older
version is refused with nothing written), and written in the plan's history with its reason. A decision
taken is applied to the procurement through the register's own update (plans.register.services), so that
it is rescored, versioned and its change written in the history like any edit: a reserved contract sets
reserved_contract, a lot sets lots, an employment requirement sets employment_requirement. "Not suitable"
sets no field.

A decision remembers whether it set its field (applied): one already set by the officer before is not
the decision's. Changed, a decision takes back the field it set itself (reserved → not suitable clears
reserved_contract), so that the procurement, the follow-up's shares and the brief say what was decided;
a field the officer had set stays as it was."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from plans.centre import coordination
from plans.models import HistoryEntry, Procurement, SocialDecision
from plans.register import history, services

Decision = SocialDecision.Decision

# The procurement's field each decision taken sets.
APPLIES = {
    Decision.RESERVED: "reserved_contract",
    Decision.LOT: "lots",
    Decision.EMPLOYMENT: "employment_requirement",
}


class StaleDecision(Exception):
    """Someone recorded a decision on the procurement after the officer's form was built."""

    def __init__(self, current: SocialDecision | None):
        self.current = current
        super().__init__(f"decision at version {current.version if current else 0}")


def history_note(decision: str, reason: str) -> str:
    """The history's note: the decision in the site's language (the history is one text for all), then
    the reason."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{Decision(decision).label}: {reason}"


@transaction.atomic
def decision_record(
    *, procurement: Procurement, decision: str, reason: str, expected_version: int, user
) -> SocialDecision:
    """Record (or change) the decision on a procurement's match, and apply it to the procurement.

    expected_version is the decision's version the form was built from (0: none was recorded yet)."""
    # The locks in the order the register's services take them: coordinated groups, then the row.
    coordination.lock_groups([procurement])
    current = Procurement.objects.select_for_update().select_related("plan").get(pk=procurement.pk)
    recorded = SocialDecision.objects.select_for_update().filter(procurement=current).first()
    if (recorded.version if recorded else 0) != expected_version:
        raise StaleDecision(recorded)
    previous, set_before = (recorded.decision, recorded.applied) if recorded else ("", False)
    if recorded is None:
        recorded = SocialDecision(procurement=current)
    else:
        recorded.version += 1
    recorded.decision, recorded.reason, recorded.decided_by = decision, reason.strip(), user
    name = APPLIES.get(decision)
    earlier = APPLIES.get(previous) if set_before else None
    changes = {}
    if earlier and earlier != name:
        changes[earlier] = False  # the field the earlier decision set, taken back
    if name and not getattr(current, name):
        changes[name] = True
    recorded.applied = bool(name) and (name in changes or name == earlier)
    try:
        # A savepoint: two first decisions at once meet the one-per-procurement constraint.
        with transaction.atomic():
            recorded.save()
    except IntegrityError:
        raise StaleDecision(SocialDecision.objects.filter(procurement=current).first()) from None
    if changes:
        current = services.procurement_update(
            procurement=current, data=changes, expected_version=current.version, user=user
        )
    history.record(
        plan=current.plan,
        procurement=current,
        user=user,
        action=HistoryEntry.Action.SOCIAL,
        note=history_note(decision, recorded.reason),
    )
    return recorded
