import copy

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.models import ProcurementCentre
from accounts.permissions import access_of
from plans.centre import display
from plans.followup import radar
from plans.models import Comment, EarlyInvolvement, Plan
from plans.register import desk, people, services
from plans.register.access import plan_access, procurement_for
from plans.register.fields import refuse_stale
from plans.register.filters import ProcurementFilter, apply_filters
from plans.register.forms import FlagForm, ProcurementForm
from plans.register.history import last_saved
from plans.register.tables import CountedPaginator, ProcurementTable, RankingTable
from plans.remiss.forms import CommentForm, GuidanceForm, InvolvementForm
from plans.remiss.snapshots import as_text
from plans.remiss.summary import shown_value
from plans.scoring import matrix
from plans.scoring.rules import Quadrant
from plans.social import panel


def home(request):
    """The start page: every plan the user may see, with its phase, grouped by municipality."""
    plans = (
        Plan.objects.visible_to(request.user)
        .select_related("municipality")
        .annotate(procurement_count=Count("procurements"))
        .order_by("municipality__name", "-year")
    )
    rows = [(plan, plan.phase_status()) for plan in plans]
    access = access_of(request.user)
    # A department representative's desk: their orders, their procurements, answers to their comments.
    context = {"rows": rows, "access": access, "desk": desk.department_desk(access, request.user)}
    if access.staff_centres:
        # The centre's desk (issue 16): its whole year, this year and the next.
        this_year = timezone.localdate().year
        context["centres"] = ProcurementCentre.objects.filter(pk__in=access.staff_centres).order_by("name")
        context["desk_years"] = (this_year, this_year + 1)
    # The registers of social enterprises the user may read (issue 18), and whose matches they work with.
    if access.staff_centres or access.coordinator_centres or access.member_municipalities:
        keepers = access.staff_centres | access.coordinator_centres
        context["social_centres"] = [
            (centre, centre.pk in keepers)
            for centre in ProcurementCentre.objects.filter(
                Q(pk__in=keepers) | Q(municipalities__in=access.member_municipalities)
            )
            .distinct()
            .order_by("name")
        ]
    if access.officer_municipalities:
        # The officer's desk: politicians asking to be involved early, and comments waiting for an answer.
        context["involvement"] = (
            EarlyInvolvement.objects.filter(
                procurement__officer=request.user, procurement__plan__adopted_on__isnull=True
            )
            .select_related("user", "procurement__plan__municipality")
            .order_by("-created_at")[:10]
        )
        context["open_comments"] = (
            Comment.objects.filter(
                handled=False,
                procurement__plan__adopted_on__isnull=True,
                procurement__plan__municipality_id__in=access.officer_municipalities,
            )
            .select_related("user", "procurement__plan__municipality")
            .order_by("created_at")[:10]
        )
        # Contracts running out without a successor (three queries, whatever the number of rows).
        context["radar"] = radar.radar(
            municipality_ids=access.officer_municipalities, today=timezone.localdate()
        )
    return render(request, "plans/register/home.html", context)


class PlanView(SingleTableMixin, FilterView):
    """The plan: its procurements as a sortable, filterable table (50 a page), a ranking by priority,
    or the Kraljic matrix; the three views share the filters."""

    template_name = "plans/register/plan.html"
    filterset_class = ProcurementFilter
    VIEWS = ("table", "ranking", "matrix")

    def dispatch(self, request, *args, **kwargs):
        self.plan_access = plan_access(request, kwargs["municipality"], kwargs["year"])
        requested = request.GET.get("view", "table")
        self.view = requested if requested in self.VIEWS else "table"
        return super().dispatch(request, *args, **kwargs)

    def get_table_class(self):
        return RankingTable if self.view == "ranking" else ProcurementTable

    def get_table_data(self):
        if self.view == "ranking":
            rank = Window(RowNumber(), order_by=[F("priority").desc(), F("ref").asc()])
            return self.object_list.annotate(rank=rank).order_by("-priority", "ref")
        return self.object_list

    def get_table_kwargs(self):
        return {"plan": self.plan_access.plan}

    def get_table_pagination(self, table):
        # The quadrant summary has counted the filtered rows already: the paginator need not again.
        return {
            "per_page": settings.PLAN_PAGE_SIZE,
            "paginator_class": CountedPaginator,
            "count": self.filtered_count,
        }

    def get_queryset(self):
        # The table shows each row's department; the plan is the one in hand (ProcurementTable.plan).
        return self.plan_access.disclosure.with_shown_value(
            self.plan_access.plan.procurements.select_related("department")
        )

    def get(self, request, *args, **kwargs):
        # An unknown or malformed filter value is named and ignored; the rest of the filters apply.
        plan = self.plan_access.plan
        self.filterset, ignored = apply_filters(request.GET, queryset=self.get_queryset(), plan=plan)
        message = _("The filter “%(filter)s” had a value that cannot be used; it was ignored.")
        for label in ignored:
            messages.warning(request, message % {"filter": label})
        self.object_list = self.filterset.qs
        self.quadrants = self.quadrant_counts()
        self.filtered_count = sum(q["total"] for q in self.quadrants)
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        if self.view == "matrix":
            # The matrix shows every filtered procurement: no table, no pages.
            context = super(SingleTableMixin, self).get_context_data(**kwargs)
            context["dots"] = self.matrix_dots()
            context["grid"] = matrix.Grid()
        else:
            context = super().get_context_data(**kwargs)
        # How many filters are in use: the folded filters say so (plan.html).
        active_filters = sum(
            1 for key, value in self.request.GET.items() if value and key not in {"sort", "page", "view"}
        )
        filtered = bool(active_filters)
        context.update(
            plan=self.plan_access.plan,
            pa=self.plan_access,
            view=self.view,
            # Unfiltered, the quadrants hold every procurement of the plan: no need to count them again.
            total_count=self.plan_access.plan.procurements.count() if filtered else self.filtered_count,
            quadrants=self.quadrants,
            filtered_count=self.filtered_count,
            filtered=filtered,
            active_filters=active_filters,
        )
        return context

    def quadrant_counts(self):
        """Per Kraljic quadrant: how many of the filtered procurements, and how many of them strategic."""
        counts = {
            row["kraljic"]: row
            for row in self.object_list.order_by()
            .values("kraljic")
            .annotate(total=Count("pk"), strategic=Count("pk", filter=Q(strategic=True)))
        }
        return [
            {
                "quadrant": quadrant,
                "label": Quadrant.labels[quadrant],
                "total": counts.get(quadrant, {}).get("total", 0),
                "strategic": counts.get(quadrant, {}).get("strategic", 0),
            }
            for quadrant in Quadrant.ordered
        ]

    def matrix_dots(self):
        plan = self.plan_access.plan
        base = f"{plan.get_absolute_url()}"
        rows = [
            {
                "ref": row["ref"],
                "title": row["title"],
                "url": f"{base}{row['ref']}/",
                "economic": row["economic_score"],
                "supply_risk": row["supply_risk_score"],
                "value": row["shown_value"],
                "strategic": row["strategic"],
                "quadrant": row["kraljic"],
            }
            for row in self.object_list.order_by("ref").values(
                "ref", "title", "economic_score", "supply_risk_score", "shown_value", "strategic", "kraljic"
            )
        ]
        return matrix.layout(rows)


def procurement_detail(request, municipality, year, ref):
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    return render(request, "plans/register/procurement.html", _procurement_context(pa, procurement))


def _procurement_context(pa, procurement, flag_form=None, decision_form=None):
    disclosure = pa.disclosure
    # A coordinated procurement (issue 16): its group as this viewer may see it; the reason names the
    # group's combined value only where the viewer may see every member's value.
    coordinated = display.coordinated(procurement, pa.access)
    assessment = disclosure.assessment(
        procurement, group_visible=coordinated.group_visible if coordinated else None
    )
    history = list(procurement.history.select_related("user")[:50])
    for entry in history:
        entry.procurement = procurement  # the one in hand: disclosure.history reads its flag
    guidance = list(procurement.guidance.select_related("user"))
    member = pa.municipality_id in pa.access.member_municipalities
    # A draft the municipality publishes (issue 17) shows the public the draft, not its consultation: the
    # remiss's guidance, comments, flags' reasons and history are published with the adopted plan.
    consultation = member or pa.plan.adopted_on is not None
    if not consultation:
        history, guidance = [], []
    people_ = people.procurement_people(procurement, guidance, member=member)
    involvement = procurement.involvement_requests.select_related("user")
    comments = procurement.comments.select_related("user", "department", "responded_by")
    confirmations = procurement.confirmations.select_related("department", "user")
    if not consultation:
        people_.orders, involvement, comments, confirmations = [], [], [], []
    return {
        "consultation": consultation,
        "plan": pa.plan,
        "pa": pa,
        "procurement": procurement,
        "hidden": disclosure.hides(procurement),
        "coordinated": coordinated,
        "coordinated_value": display.combined_text(procurement, coordinated, disclosure),
        "assessment": assessment,
        "assessment_rows": [
            (_("Economic weight (E)"), assessment.economic),
            (_("Social weight (S)"), assessment.social),
            (_("Environmental weight (M)"), assessment.environmental),
            (_("Supply risk (R)"), assessment.supply_risk),
        ],
        "rubric": pa.plan.rubric_values,
        "flags": procurement.flags.select_related("user")[:20] if consultation else [],
        "guidance": guidance,
        "people": people_,
        "involvement": involvement,
        "comments": comments,
        "confirmations": confirmations,
        "history": disclosure.history(history),
        "guidance_form": GuidanceForm(),
        "involvement_form": InvolvementForm(),
        "comment_form": CommentForm(),
        "answer_forms": {},
        "can_confirm": pa.can_confirm(procurement.department_id),
        # The form offers the opposite of the current state: flag it, or remove the flag.
        "flag_form": flag_form or FlagForm(initial={"flagged": str(int(not procurement.flagged_strategic))}),
        # Social enterprises offering what it buys (issue 18): None when none does.
        "social": panel.procurement_panel(pa, procurement, consultation=consultation, form=decision_form),
    }


@require_POST
def procurement_flag(request, municipality, year, ref):
    """Flag a procurement strategic, or remove the flag, always with a reason."""
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    pa.require(pa.can_flag)
    form = FlagForm(request.POST)
    if not form.is_valid():
        context = _procurement_context(pa, procurement, flag_form=form)
        return render(request, "plans/register/procurement.html", context, status=400)
    services.procurement_flag(
        procurement=procurement,
        flagged=form.cleaned_data["flagged"],
        reason=form.cleaned_data["reason"],
        user=request.user,
    )
    if form.cleaned_data["flagged"]:
        messages.success(request, _("%(ref)s was flagged strategic.") % {"ref": ref})
    else:
        messages.success(request, _("The strategic flag on %(ref)s was removed.") % {"ref": ref})
    return redirect(procurement)


@require_http_methods(["GET", "POST"])
def procurement_create(request, municipality, year):
    pa = plan_access(request, municipality, year)
    pa.require_edit()
    form = ProcurementForm(request.POST or None, plan=pa.plan)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        procurement = services.procurement_create(plan=pa.plan, data=data, user=request.user)
        messages.success(request, _("%(ref)s was added to the plan.") % {"ref": procurement.ref})
        return redirect(procurement)
    return render(
        request,
        "plans/register/procurement_form.html",
        {"plan": pa.plan, "pa": pa, "form": form, "creating": True},
    )


@require_http_methods(["GET", "POST"])
def procurement_edit(request, municipality, year, ref):
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    pa.require_edit()
    # The form edits a copy, so the page's links keep the saved ref while the form shows a bad one.
    form = ProcurementForm(request.POST or None, instance=copy.copy(procurement), plan=pa.plan)
    conflict = conflict_saved = None
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            saved = services.procurement_update(
                procurement=procurement,
                data=data,
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except services.StaleEdit as stale:
            conflict = _conflicting_fields(form, stale.current, data)
            conflict_saved = last_saved(stale.current)
            refuse_stale(
                form,
                stale.current.version,
                _(
                    "Someone else saved this procurement while you were editing it. "
                    "Nothing of yours was saved. "
                    "Compare the two versions below; save again to replace theirs with yours."
                ),
            )
        else:
            messages.success(request, _("Your changes to %(ref)s were saved.") % {"ref": saved.ref})
            return redirect(saved)
    return render(
        request,
        "plans/register/procurement_form.html",
        {
            "plan": pa.plan,
            "pa": pa,
            "form": form,
            "procurement": procurement,
            "conflict": conflict,
            "conflict_saved": conflict_saved,
        },
    )


def _conflicting_fields(form, current, mine):
    """The fields where the saved version and the editor's version differ, as (label, theirs, yours)."""
    rows = []
    for name, value in mine.items():
        if name == "goals":  # a many-to-many relation: compared as sets, shown by the goals' titles
            theirs = list(current.goals.all())
            if {goal.pk for goal in theirs} != {goal.pk for goal in value}:
                rows.append(
                    (form.fields[name].label, services.goal_titles(theirs), services.goal_titles(value))
                )
            continue
        theirs = getattr(current, name)
        if theirs != value:
            # As people read them: amounts in kronor, choices by their labels, yes and no.
            rows.append((form.fields[name].label, _shown(name, theirs), _shown(name, value)))
    return rows


def _shown(name, value) -> str:
    try:
        return shown_value(name, as_text(value))
    except FieldDoesNotExist:
        return as_text(value)


@require_http_methods(["GET", "POST"])
def procurement_delete(request, municipality, year, ref):
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    pa.require_edit()
    if request.method == "POST":
        services.procurement_delete(procurement=procurement, user=request.user)
        messages.success(request, _("%(ref)s was removed from the plan.") % {"ref": ref})
        return redirect(pa.plan)
    return render(
        request,
        "plans/register/procurement_delete.html",
        {"plan": pa.plan, "pa": pa, "procurement": procurement},
    )
