"""The plans as open data: OCDS 1.1 release packages, one `planning` release per procurement.

DESIGN §4. Two packages, each valid against the official release-package schema (tests/data/ocds/) and
clean by the Open Contracting Partnership's own checks (libcoveocds: no validation error, no additional
check finding; ocdskit compiles the releases into records):
- release_package(): one plan's (its export.json), published by the plan's procurement centre, as the
  reader of the download may see it (the caller gives the Disclosure and the reader);
- pipeline_package(): the procurements of many plans (the public pipeline), for the public: the PUBLIC
  disclosure, an anonymous reader, published by the site (settings OCDS_PUBLISHER_*).
Both carry the `license` and `publicationPolicy` of the settings (OCDS_LICENSE, OCDS_PUBLICATION_POLICY).

Each release:
- its ocid is OCDS_OCID_PREFIX-<municipality>-<ref> when the ref already holds the plan year as a
  four-digit run ("2027-001"), else OCDS_OCID_PREFIX-<municipality>-<year>-<ref>;
- its parties are the municipality (`buyer`) and its procurement centre (`procuringEntity`, which
  `tender.procuringEntity` points to), each with its organisation number as `identifier` (scheme
  SE-BLV) where the number is known;
- tender.status follows the plan's phase and the procurement's outcome (tender_status): planning until
  the plan is adopted, then planned until advertised, active while advertised or appealed, complete once
  awarded, cancelled when cancelled;
- tender.value is the estimated value, as the Disclosure lets the reader see it. There is no
  planning.budget: a plan holds no budget amount.

Pure apart from reading settings and the date (a plan's phase): no request, no writes, no queries beyond
the related objects the caller selected. with_release_data() selects and prefetches all that a package
reads (the plan with its municipality and centre, the department, the outcome, the orders, the
coordinated procurement): a few queries for the whole package, however many procurements.

A coordinated procurement (issue 16) points to the other members' processes (relatedProcesses), of
those whose plans the package's reader may see (the public: adopted plans only): the lead's release to
the participants' as its "planning"; a participant's to the lead and the others with a title and no
relationship code (none of the codelist fits), and its tender carries the lead's ocid.

Confidential procurements (secrecy before award, OSL 19:3) lose their value and description unless
the caller may see them, and the rationale then leaves out the ordering departments' needs (as it
leaves out a confidential order's need). Empty values (None, "", {}, []) are left out, as OCDS asks.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch

from accounts.permissions import Access, can_view_plan
from plans.dates import add_months
from plans.models import Order, Outcome, Procedure, Procurement
from plans.orders.rules import OrderStatus
from plans.register.disclosure import PUBLIC
from plans.remiss.phases import Phase
from plans.scoring.rules import Quadrant

OCDS_VERSION = "1.1"
# Organisation numbers (organisationsnummer, accounts.org_numbers) in org-id.guide's list.
ORG_NUMBER_SCHEME = "SE-BLV"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAYS_PER_MONTH = Decimal("365.25") / 12

# LOU procedure → OCDS `method` codelist (DESIGN §4).
PROCUREMENT_METHODS = {
    Procedure.OPEN: "open",
    Procedure.SELECTIVE: "selective",
    Procedure.NEGOTIATED_WITH_NOTICE: "selective",
    Procedure.NEGOTIATED_WITHOUT_NOTICE: "limited",
    Procedure.COMPETITIVE_DIALOGUE: "selective",
    Procedure.INNOVATION_PARTNERSHIP: "selective",
    Procedure.BELOW_THRESHOLD: "open",
    Procedure.DIRECT_AWARD: "direct",
    Procedure.MINI_COMPETITION: "selective",
    Procedure.DYNAMIC_PURCHASING: "selective",
}

# The procedures' Swedish names (DESIGN §4), literal so that the export does not depend on the
# compiled translations or on the language active when it runs.
PROCEDURE_NAMES_SV = {
    Procedure.OPEN: "Öppet förfarande",
    Procedure.SELECTIVE: "Selektivt förfarande",
    Procedure.NEGOTIATED_WITH_NOTICE: "Förhandlat förfarande med föregående annonsering",
    Procedure.NEGOTIATED_WITHOUT_NOTICE: "Förhandlat förfarande utan föregående annonsering",
    Procedure.COMPETITIVE_DIALOGUE: "Konkurrenspräglad dialog",
    Procedure.INNOVATION_PARTNERSHIP: "Innovationspartnerskap",
    Procedure.BELOW_THRESHOLD: "Annonserad upphandling under tröskelvärdena",
    Procedure.DIRECT_AWARD: "Direktupphandling",
    Procedure.MINI_COMPETITION: "Förnyad konkurrensutsättning",
    Procedure.DYNAMIC_PURCHASING: "Dynamiskt inköpssystem",
}

# The orders that became the procurement, or were merged into it: theirs is the need it answers.
TAKEN_IN = (OrderStatus.ACCEPTED.value, OrderStatus.MERGED.value)

# An adopted plan's procurement, by its outcome (None: none recorded yet) → OCDS tenderStatus.
TENDER_STATUSES = {
    None: "planned",
    Outcome.Status.NOT_STARTED: "planned",
    Outcome.Status.ADVERTISED: "active",
    Outcome.Status.APPEALED: "active",
    Outcome.Status.AWARDED: "complete",
    Outcome.Status.CANCELLED: "cancelled",
}

QUADRANT_NAMES_SV = {
    Quadrant.STRATEGIC: "Strategisk",
    Quadrant.LEVERAGE: "Hävstång",
    Quadrant.BOTTLENECK: "Flaskhals",
    Quadrant.ROUTINE: "Rutin",
}


def release_package(
    *, plan, procurements: Iterable, disclosure, uri: str, published: datetime, reader: Access | None = None
) -> dict:
    """The release package of `plan`: one planning release per procurement, in the order given, published
    by the plan's procurement centre. reader: who reads it, for the other plans of a coordinated
    procurement (None: the public). The procurements come through with_release_data()."""
    reader = reader or Access.anonymous()
    phase = plan.phase
    releases = [
        _release(plan, procurement, phase=phase, disclosure=disclosure, reader=reader)
        for procurement in procurements
    ]
    centre = plan.municipality.centre
    publisher = {"name": centre.name, **_registered(centre.org_number)}
    return _package(uri=uri, published=published, publisher=publisher, releases=releases)


def pipeline_package(*, procurements: Iterable, uri: str, published: datetime) -> dict:
    """The release package of procurements from many plans (the public pipeline), as the public reads
    them: no confidential value or description, and links only to plans the public may see. Each
    release's buyer is its plan's municipality and its procuring entity that municipality's centre;
    the publisher is the site (OCDS_PUBLISHER_*). The caller chooses procurements the public may see,
    through with_release_data()."""
    reader = Access.anonymous()
    releases = [
        _release(procurement.plan, procurement, phase=None, disclosure=PUBLIC, reader=reader)
        for procurement in procurements
    ]
    publisher = {
        "name": settings.OCDS_PUBLISHER_NAME,
        "scheme": settings.OCDS_PUBLISHER_SCHEME,
        "uid": settings.OCDS_PUBLISHER_UID,
        "uri": settings.OCDS_PUBLISHER_URI,
    }
    return _package(uri=uri, published=published, publisher=publisher, releases=releases)


def with_release_data(procurements):
    """The procurements with everything a release reads selected or prefetched: the plan, its
    municipality and centre, the department, the outcome and the coordinated procurement in the same
    query; the orders and the coordinated procurements' members in one more query each, whatever the
    number of procurements."""
    related = procurements.select_related("plan__municipality__centre", "department", "outcome")
    return with_coordination(with_orders(related))


def ocid(plan, procurement) -> str:
    """The contracting process's id: stable for a municipality, plan year and reference. The year is
    not repeated when the ref already holds it (2027-001 in the plan for 2027)."""
    prefix, slug, ref = settings.OCDS_OCID_PREFIX, plan.municipality.slug, procurement.ref
    if holds_year(ref, plan.year):
        return f"{prefix}-{slug}-{ref}"
    return f"{prefix}-{slug}-{plan.year}-{ref}"


def holds_year(ref: str, year: int) -> bool:
    """True when one of the runs of digits in `ref` is the year: 2027-001 and P2027 hold 2027, 12027-1
    and 027-001 do not."""
    return str(year) in re.findall(r"\d+", ref)


def party_id(municipality) -> str:
    return f"SE-KOMMUN-{municipality.slug}"


def centre_party_id(centre) -> str:
    return f"SE-UHC-{centre.slug}"


def tender_status(phase: str, outcome_status: str | None) -> str:
    """OCDS tenderStatus: "planning" until the plan is adopted (draft, remiss, awaiting the decision);
    after adoption by the outcome: "planned" until it is advertised (no outcome, or not started),
    "active" while advertised or appealed, "complete" once awarded, "cancelled" when cancelled."""
    if phase != Phase.ADOPTED:
        return "planning"
    return TENDER_STATUSES[outcome_status or None]


def outcome_status(procurement) -> str | None:
    """The status of the procurement's outcome, None when none is recorded. Reads procurement.outcome:
    the caller selects it (with_release_data), and a missing one then asks no query either."""
    try:
        return procurement.outcome.status
    except ObjectDoesNotExist:
        return None


def procurement_method(procedure: str) -> str:
    return PROCUREMENT_METHODS[Procedure(procedure)]


def with_orders(procurements):
    """The procurements with the orders they came from prefetched, as ordered_needs() reads them: one
    query more for the whole package. Without it, each procurement asks for its orders."""
    taken_in = Order.objects.filter(status__in=TAKEN_IN).select_related("department")
    return procurements.prefetch_related(Prefetch("orders", queryset=taken_in))


def with_coordination(procurements):
    """The procurements with their coordinated procurement and its members prefetched, as
    related_processes() reads them: one query more for the whole package (none without a group)."""
    members = Procurement.objects.select_related("plan__municipality").order_by("pk")
    return procurements.select_related("coordination").prefetch_related(
        Prefetch("coordination__members", queryset=members)
    )


def related_processes(procurement, reader: Access) -> tuple[str, list[dict]]:
    """(the lead's ocid for the lead and for a participant whose reader may see the lead's plan, else "";
    relatedProcesses pointing to the other members the reader may see). Reads
    procurement.coordination.members.all(): the caller prefetches it (with_coordination)."""
    group = procurement.coordination if procurement.coordination_id else None
    if group is None or group.dissolved_at is not None:
        return "", []
    members = list(group.members.all())
    lead = next((member for member in members if member.pk == group.lead_id), None)
    leads = lead is not None and lead.pk == procurement.pk
    related, lead_ocid = [], ""
    others = sorted(
        (member for member in members if member.pk != procurement.pk),
        key=lambda member: (member.plan.municipality.name, member.pk),
    )
    for other in others:
        plan = other.plan
        if not can_view_plan(
            reader, municipality_id=plan.municipality_id, phase=plan.phase, publish_draft=plan.publish_draft
        ):
            continue
        identifier = ocid(plan, other)
        name = plan.municipality.name
        if leads:
            entry = {"title": f"Samordnad upphandling, deltagande: {name}", "relationship": ["planning"]}
        elif other is lead:
            entry = {"title": f"Samordnad upphandling, ledande: {name}"}
            lead_ocid = identifier
        else:
            entry = {"title": f"Samordnad upphandling, deltagande: {name}"}
        related.append({"id": identifier, "scheme": "ocid", "identifier": identifier, **entry})
    if leads and related:
        # The lead's tender is the group's: its id is the lead's ocid, as in every participant's release.
        lead_ocid = ocid(procurement.plan, procurement)
    return lead_ocid, related


def ordered_needs(procurement, disclosure) -> list[tuple[str, str]]:
    """(department, need) of each order the procurement was made from or merged with, the first
    ordered first, as far as the reader may see them: none when the procurement is confidential to
    them, nor the need of a confidential order (the Disclosure decides, as for the description).
    Reads procurement.orders.all(): the caller prefetches it with the departments."""
    if disclosure.hides(procurement):
        return []
    orders = disclosure.orders()
    taken_in = sorted(
        (order for order in procurement.orders.all() if order.status in TAKEN_IN),
        key=lambda order: (order.created_at, order.pk),
    )
    needs = [(order.department.name, orders.need(order).strip()) for order in taken_in]
    return [(department, need) for department, need in needs if need]


def rationale(procurement, needs=()) -> str:
    """Why the procurement is in the plan as it is, in Swedish: the ordering departments' needs, when
    there are any the reader may see, then its stored scores."""
    quadrant = QUADRANT_NAMES_SV.get(procurement.kraljic, procurement.kraljic)
    strategic = "ja" if procurement.strategic else "nej"
    priority = f"{Decimal(procurement.priority):.1f}".replace(".", ",")
    ordered = "".join(f"Behov enligt {department}: {need}\n\n" for department, need in needs)
    return ordered + (
        f"Kraljickvadrant: {quadrant}. "
        f"Ekonomisk vikt (E) {procurement.economic_score}, social vikt (S) {procurement.social_score}, "
        f"miljövikt (M) {procurement.environmental_score}, leveransrisk (R) {procurement.supply_risk_score}. "
        f"Strategisk för granskning: {strategic}. Prioritet {priority} av 100."
    )


def duration_in_days(months: int) -> int:
    """Months as days on the average calendar (365.25 / 12 days a month), rounded half up."""
    return int((months * DAYS_PER_MONTH).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def contract_period(procurement) -> dict:
    """From the day after the current contract ends, for the contract's months; else only the length."""
    if procurement.current_contract_ends is None:
        return {"durationInDays": duration_in_days(procurement.duration_months)}
    start = procurement.current_contract_ends + timedelta(days=1)
    end = add_months(start, procurement.duration_months)
    return {
        "startDate": start_of_day(start),
        "endDate": start_of_day(end),
        "durationInDays": (end - start).days,
    }


def start_of_day(day: date) -> str:
    """00:00 in Sweden on `day`, as RFC 3339."""
    return rfc3339(datetime.combine(day, time.min, tzinfo=STOCKHOLM))


def rfc3339(moment: datetime) -> str:
    """Swedish local time with its offset, to the second; a naive time is taken as Swedish."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=STOCKHOLM)
    return moment.astimezone(STOCKHOLM).isoformat(timespec="seconds")


def _release(plan, procurement, *, phase, disclosure, reader: Access) -> dict:
    """phase: the plan's, when the caller read it once for all its procurements; None: read it here."""
    process_id = ocid(plan, procurement)
    lead_ocid, related = related_processes(procurement, reader)
    value = disclosure.value(procurement)
    municipality = plan.municipality
    centre = municipality.centre
    buyer = {"id": party_id(municipality), "name": municipality.name}
    procuring_entity = {"id": centre_party_id(centre), "name": centre.name}
    status = tender_status(phase or plan.phase, outcome_status(procurement))
    return _pruned(
        {
            "ocid": process_id,
            "id": f"{process_id}-planning-{procurement.version}",
            "date": rfc3339(procurement.updated_at),
            "tag": ["planning"],
            "initiationType": "tender",
            "language": "sv",
            "parties": [
                {**buyer, "identifier": _identifier(municipality), "roles": ["buyer"]},
                {**procuring_entity, "identifier": _identifier(centre), "roles": ["procuringEntity"]},
            ],
            "buyer": buyer,
            "planning": {"rationale": rationale(procurement, ordered_needs(procurement, disclosure))},
            "relatedProcesses": related,
            "tender": {
                # A participant's tender is the lead's (issue 16): it carries the lead's ocid.
                "id": lead_ocid or procurement.ref,
                "title": procurement.title,
                "description": disclosure.description(procurement).strip() or None,
                "status": status,
                "procuringEntity": procuring_entity,
                "value": None if value is None else {"amount": value, "currency": "SEK"},
                "mainProcurementCategory": procurement.category,
                "procurementMethod": procurement_method(procurement.procedure),
                "procurementMethodDetails": PROCEDURE_NAMES_SV[Procedure(procurement.procedure)],
                "items": [
                    {
                        "id": "1",
                        "description": procurement.title,
                        "classification": {"scheme": "CPV", "id": procurement.cpv.strip()[:8]},
                    }
                ],
                "tenderPeriod": {"startDate": start_of_day(procurement.planned_advertisement)},
                "contractPeriod": contract_period(procurement),
            },
        }
    )


def _package(*, uri: str, published: datetime, publisher: dict, releases: list) -> dict:
    package = _pruned(
        {
            "uri": uri,
            "version": OCDS_VERSION,
            "publishedDate": rfc3339(published),
            "publisher": publisher,
            "license": settings.OCDS_LICENSE,
            "publicationPolicy": settings.OCDS_PUBLICATION_POLICY,
        }
    )
    # Kept when empty, so that the package keeps its shape; OCDS wants one release or more, so a plan
    # with no procurements gives a package that does not validate: the caller decides what to show.
    return {**package, "releases": releases}


def _identifier(place) -> dict | None:
    """The party's organisation number (a centre's or a municipality's), None while it is not known."""
    if not place.org_number:
        return None
    return {"scheme": ORG_NUMBER_SCHEME, "id": place.org_number, "legalName": place.name}


def _registered(org_number: str) -> dict:
    """The publisher's scheme and uid, when its organisation number is known."""
    return {"scheme": ORG_NUMBER_SCHEME, "uid": org_number} if org_number else {}


def _pruned(value):
    """`value` without the None, "", {} and [] values of its objects and arrays, at every depth."""
    if isinstance(value, dict):
        pruned = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if not _empty(item)}
    if isinstance(value, list):
        return [item for item in map(_pruned, value) if not _empty(item)]
    return value


def _empty(value) -> bool:
    return value is None or (isinstance(value, str | dict | list) and not value)
