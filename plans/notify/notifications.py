"""
Notifications by e-mail, each sent at most once per person and occasion, through the outbox
(plans.notify.outbox).

Occasions (DESIGN §3, issue 5): the remiss opened (to the municipality's politicians and department
representatives), a weekly digest of new activity, a reminder 14 days before the window closes to
those with open items, and a request for early involvement (to the responsible officer).
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Role, User
from plans.models import (
    Comment,
    EarlyInvolvement,
    Guidance,
    HistoryEntry,
    NeedsConfirmation,
    Notification,
    Plan,
    Procurement,
)
from plans.notify.outbox import link, queue

REMINDER_DAYS = 14


# --- Who -----------------------------------------------------------------------------------------


def politicians(plan: Plan):
    return User.objects.filter(
        is_active=True, memberships__role=Role.POLITICIAN, memberships__municipality=plan.municipality
    ).distinct()


def department_representatives(plan: Plan):
    return User.objects.filter(
        is_active=True, memberships__role=Role.DEPARTMENT_REP, memberships__municipality=plan.municipality
    ).distinct()


def officers(plan: Plan):
    return User.objects.filter(
        is_active=True, memberships__role=Role.OFFICER, memberships__centre_id=plan.municipality.centre_id
    ).distinct()


def plans_in_remiss(today: date):
    return Plan.objects.filter(
        remiss_starts__lte=today, remiss_ends__gte=today, adopted_on__isnull=True
    ).select_related("municipality")


# --- Occasions -----------------------------------------------------------------------------------


def notify_remiss_opened(plan: Plan) -> int:
    """Tell the municipality's politicians and department representatives that the remiss is open."""
    context = {
        "plan": plan,
        "plan_url": link(plan.get_absolute_url()),
        "review_url": link(plan.get_absolute_url() + "review/"),
        "strategic": Procurement.objects.filter(plan=plan, strategic=True).count(),
    }
    recipients = list(politicians(plan)) + list(department_representatives(plan))
    return sum(
        bool(
            queue(
                user=user,
                kind=Notification.Kind.REMISS_OPENED,
                occasion=f"plan:{plan.pk}:opened",
                template="plans/notify/remiss_opened.txt",
                context=context,
            )
        )
        for user in {user.pk: user for user in recipients}.values()
    )


def notify_involvement(request: EarlyInvolvement) -> int:
    """Tell the responsible officer (or, without one, every officer of the centre) at once."""
    procurement = request.procurement
    recipients = [procurement.officer] if procurement.officer_id else list(officers(procurement.plan))
    context = {
        "request": request,
        "procurement": procurement,
        "procurement_url": link(procurement.get_absolute_url()),
    }
    return sum(
        bool(
            queue(
                user=user,
                kind=Notification.Kind.INVOLVEMENT,
                occasion=f"involvement:{request.pk}",
                template="plans/notify/involvement.txt",
                context=context,
            )
        )
        for user in recipients
    )


def open_items(plan: Plan, user) -> list[str]:
    """What this person still has to do in the remiss, as lines for a reminder; empty when nothing."""
    access = user.access
    items = []
    strategic = Procurement.objects.filter(plan=plan, strategic=True)
    if plan.municipality_id in access.politician_municipalities:
        mine = Guidance.objects.filter(procurement=OuterRef("pk"), user=user)
        for procurement in strategic.exclude(Exists(mine)).order_by("planned_advertisement", "ref"):
            items.append(f"{procurement.ref} {procurement.title} – {link(procurement.get_absolute_url())}")
    if access.departments:
        confirmed = NeedsConfirmation.objects.filter(
            procurement=OuterRef("pk"), department=OuterRef("department")
        )
        ours = Procurement.objects.filter(plan=plan, department__in=access.departments).exclude(
            Exists(confirmed)
        )
        for procurement in ours.order_by("ref"):
            items.append(f"{procurement.ref} {procurement.title} – {link(procurement.get_absolute_url())}")
    if plan.municipality_id in access.officer_municipalities:
        waiting = Comment.objects.filter(procurement__plan=plan, handled=False).select_related("procurement")
        for comment in waiting.order_by("created_at"):
            procurement = comment.procurement
            items.append(f"{procurement.ref} {procurement.title} – {link(procurement.get_absolute_url())}")
    return list(dict.fromkeys(items))


def send_reminders(plan: Plan, today: date) -> int:
    """Fourteen days (or fewer) before the remiss closes, remind those with open items, once."""
    if not 0 <= (plan.remiss_ends - today).days <= REMINDER_DAYS:
        return 0
    recipients = {u.pk: u for u in [*politicians(plan), *department_representatives(plan), *officers(plan)]}
    queued = 0
    for user in recipients.values():
        items = open_items(plan, user)
        if items:
            queued += bool(
                queue(
                    user=user,
                    kind=Notification.Kind.REMINDER,
                    occasion=f"plan:{plan.pk}:reminder",
                    template="plans/notify/reminder.txt",
                    context={
                        "plan": plan,
                        "items": items,
                        "review_url": link(plan.get_absolute_url() + "review/"),
                    },
                )
            )
    return queued


def send_weekly_digest(plan: Plan, today: date) -> int:
    """The week's new activity in the remiss, to everyone taking part; nothing when nothing happened."""
    since = timezone.make_aware(datetime.combine(today - timedelta(days=7), time.min))
    entries = list(
        HistoryEntry.objects.filter(plan=plan, created_at__gte=since)
        .select_related("user", "procurement")
        .order_by("created_at")
    )
    if not entries:
        return 0
    year, week, _weekday = today.isocalendar()
    recipients = {u.pk: u for u in [*politicians(plan), *department_representatives(plan), *officers(plan)]}
    context = {
        "plan": plan,
        "entries": entries,
        "plan_url": link(plan.get_absolute_url()),
        "review_url": link(plan.get_absolute_url() + "review/"),
        "site_url": settings.SITE_URL,
    }
    return sum(
        bool(
            queue(
                user=user,
                kind=Notification.Kind.DIGEST,
                occasion=f"plan:{plan.pk}:week:{year}-W{week:02d}",
                template="plans/notify/digest.txt",
                context=context,
            )
        )
        for user in recipients.values()
    )
