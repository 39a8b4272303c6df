"""A coordinated procurement as one viewer may see it from one member's row (issue 16): the tenant rules
across a group.

Everyone who sees the row sees that it is coordinated, with how many and which other municipalities, and
which leads: that much is no other municipality's draft. Of another member, the link, the title and the
value are shown only where the viewer may see that member's plan (Plan visibility: members of the
municipality and the centre's staff in every phase, everyone once adopted) and, for the value, where that
municipality's Disclosure allows (a confidential value stays confidential). A politician of Borlänge reads
"coordinated with 2 other municipalities: Falun, Ludvika; lead: Falun", never Falun's draft title or value.
The group's title is the lead's text: shown where the lead's plan is.

group_visible is True only where the viewer may see every other member's value: only then may the
economic reason name the group's combined value (Disclosure.assessment(procurement, group_visible=...)).
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import Access, can_view_plan
from plans.formatting import format_sek
from plans.models import CoordinationGroup, Procurement
from plans.register.disclosure import Disclosure


@dataclass(frozen=True)
class Member:
    """Another member of the group as the viewer may see it: the municipality always; the rest only
    where visible (else empty)."""

    municipality: str
    lead: bool
    visible: bool
    url: str = ""
    ref: str = ""
    title: str = ""
    value_text: str = ""


@dataclass(frozen=True)
class Coordinated:
    group_id: int
    title: str  # "" where the lead's plan is not visible to the viewer
    lead_municipality: str
    is_lead: bool  # the row in hand leads
    others: tuple[Member, ...]
    group_visible: bool

    @property
    def any_visible(self) -> bool:
        return any(member.visible for member in self.others)

    @property
    def count(self) -> int:
        return len({member.municipality for member in self.others})

    @property
    def names(self) -> str:
        return ", ".join(sorted({member.municipality for member in self.others}))

    @property
    def summary(self) -> str:
        """ "Coordinated procurement with 2 other municipalities: Borlänge, Ludvika. Lead: Falun." """
        text = ngettext(
            "Coordinated procurement with %(count)d other municipality: %(names)s.",
            "Coordinated procurement with %(count)d other municipalities: %(names)s.",
            self.count,
        ) % {"count": self.count, "names": self.names}
        if self.is_lead:
            return text + " " + _("This procurement leads it.")
        return text + " " + _("Lead: %(municipality)s.") % {"municipality": self.lead_municipality}


def coordinated(procurement: Procurement, access: Access, today=None) -> Coordinated | None:
    """The group of the procurement as the viewer (access) may see it, or None if it is in none: two
    queries, none for a procurement in no group."""
    if procurement.coordination_id is None:
        return None
    group = CoordinationGroup.objects.filter(
        pk=procurement.coordination_id, dissolved_at__isnull=True
    ).first()
    if group is None:
        return None
    today = today or timezone.localdate()
    others = (
        Procurement.objects.filter(coordination=group)
        .exclude(pk=procurement.pk)
        .select_related("plan__municipality")
        .order_by("plan__municipality__name", "pk")
    )
    shown, everything_visible, lead_name, lead_visible = [], True, "", group.lead_id == procurement.pk
    for other in others:
        plan = other.plan
        municipality = plan.municipality
        visible = can_view_plan(
            access,
            municipality_id=municipality.pk,
            phase=plan.phase_status(today).phase,
            publish_draft=plan.publish_draft,
        )
        disclosure = Disclosure.of(access, municipality_id=municipality.pk)
        everything_visible = everything_visible and visible and not disclosure.hides(other)
        is_lead = other.pk == group.lead_id
        if is_lead:
            lead_name, lead_visible = municipality.name, visible
        shown.append(
            Member(municipality=municipality.name, lead=is_lead, visible=visible)
            if not visible
            else Member(
                municipality=municipality.name,
                lead=is_lead,
                visible=True,
                url=other.get_absolute_url(),
                ref=other.ref,
                title=other.title,
                value_text=disclosure.value_text(other),
            )
        )
    if not shown:
        return None
    is_lead = group.lead_id == procurement.pk
    return Coordinated(
        group_id=group.pk,
        title=group.title if lead_visible else "",
        lead_municipality=lead_name or (procurement.plan.municipality.name if is_lead else ""),
        is_lead=is_lead,
        others=tuple(shown),
        group_visible=everything_visible,
    )


def combined_text(procurement: Procurement, shown: Coordinated | None, disclosure: Disclosure) -> str:
    """The group's combined value where the viewer may see every member's, its own too, else ""."""
    if shown is None or not shown.group_visible or disclosure.hides(procurement):
        return ""
    if procurement.coordinated_value_sek is None:
        return ""
    return format_sek(procurement.coordinated_value_sek)
