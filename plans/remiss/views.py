"""The remiss on the web: the review queue and its actions, comments, what changed, the board's records.

Each action is a small POST that works without JavaScript (it redirects back) and, asked by htmx,
answers with the fragment it changed so the page updates in place.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from plans.models import Comment
from plans.register.access import plan_access, procurement_for
from plans.register.fields import refuse_stale
from plans.register.views import _procurement_context
from plans.remiss import open_items, review
from plans.remiss.forms import (
    AdoptionForm,
    AnswerForm,
    CommentForm,
    GuidanceForm,
    InvolvementForm,
    PublicationForm,
    WindowForm,
)
from plans.remiss.summary import change_list

QUEUE_PAGE_SIZE = 25


def _back(request, procurement):
    """Where a form posted from the queue or the procurement page returns to."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(procurement)


def _queue_context(pa, next_url: str) -> dict:
    """What every card of the queue is drawn with, on the page and in the fragment htmx swaps in: the
    two must be the same card."""
    return {"plan": pa.plan, "pa": pa, "guidance_form": GuidanceForm(), "queue_next": next_url}


def _queue_item(request, pa, procurement, **extra):
    """The queue card of one procurement, re-read as the queue page reads it, for an htmx swap."""
    item = next(
        (
            item
            for item in review.review_queue(plan=pa.plan, today=timezone.localdate(), user=request.user)
            if item.procurement.pk == procurement.pk
        ),
        None,
    )
    # The page the card was on, for the forms' way back without JavaScript.
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse(
            "plans:review", kwargs={"municipality": pa.plan.municipality.slug, "year": pa.plan.year}
        )
    context = _queue_context(pa, next_url)
    context.update(item=item, procurement=item.procurement if item else procurement)
    context.update(extra)
    return render(request, "plans/remiss/includes/queue_item.html", context)


def review_queue(request, municipality, year):
    """The politicians' queue: every strategic procurement, the most urgent requirements freeze first."""
    pa = plan_access(request, municipality, year)
    pa.require(pa.can_view_review)
    if pa.in_remiss:
        review.ensure_snapshot(pa.plan)
    only_open = request.GET.get("show") == "without_guidance"
    counts = review.queue_counts(plan=pa.plan)
    # A page at a time, the most urgent first: a large plan has hundreds of strategic procurements.
    paginator = Paginator(range(counts["without_guidance" if only_open else "total"]), QUEUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    start = (page.number - 1) * QUEUE_PAGE_SIZE
    items = review.review_queue(
        plan=pa.plan,
        today=timezone.localdate(),
        without_guidance_only=only_open,
        start=start,
        stop=start + QUEUE_PAGE_SIZE,
        user=request.user,
    )
    context = _queue_context(pa, request.get_full_path())
    context.update(items=items, page=page, only_open=only_open, counts=counts)
    return render(request, "plans/remiss/review.html", context)


@require_POST
def give_guidance(request, municipality, year, ref):
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    pa.require(pa.can_give_guidance)
    form = GuidanceForm(request.POST)
    if form.is_valid():
        review.review_give_guidance(
            procurement=procurement,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            user=request.user,
        )
        if request.htmx:
            return _queue_item(request, pa, procurement, saved=_("Your guidance was saved."))
        messages.success(request, _("Your guidance on %(ref)s was saved.") % {"ref": procurement.ref})
        return _back(request, procurement)
    if request.htmx:
        return _queue_item(request, pa, procurement, guidance_form=form)
    return _procurement_page(request, pa, procurement, guidance_form=form, status=400)


@require_POST
def request_involvement(request, municipality, year, ref):
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    pa.require(pa.can_give_guidance)
    form = InvolvementForm(request.POST)
    if form.is_valid():
        earlier = review.involvement_request_of(procurement=procurement, user=request.user)
        asked = review.review_request_involvement(
            procurement=procurement, text=form.cleaned_data["text"], user=request.user
        )
        if earlier is None:
            note = _("The responsible officer has been told that you want to be involved early.")
        else:
            note = _("You asked to be involved early on %(date)s; the officer has already been told.") % {
                "date": timezone.localtime(asked.created_at).date().isoformat()
            }
        if request.htmx:
            return _queue_item(request, pa, procurement, saved=note)
        messages.success(request, note)
        return _back(request, procurement)
    return _procurement_page(request, pa, procurement, involvement_form=form, status=400)


@require_POST
def add_comment(request, municipality, year, ref):
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    pa.require(pa.can_comment)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _procurement_page(request, pa, procurement, comment_form=form, status=400)
    departments = pa.access.departments
    department = procurement.department if procurement.department_id in departments else None
    if department is None and departments:
        department = procurement.plan.municipality.departments.filter(pk__in=departments).first()
    review.comment_add(
        procurement=procurement, text=form.cleaned_data["text"], user=request.user, department=department
    )
    messages.success(request, _("Your comment was saved."))
    return redirect(f"{procurement.get_absolute_url()}#comments")


@require_POST
def answer_comment(request, municipality, year, ref, comment):
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    comment = get_object_or_404(Comment, procurement=procurement, pk=comment)
    pa.require(pa.can_answer)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _procurement_page(request, pa, procurement, answer_forms={comment.pk: form}, status=400)
    review.comment_answer(
        comment=comment,
        response=form.cleaned_data["response"],
        handled=form.cleaned_data["handled"],
        user=request.user,
    )
    messages.success(request, _("Your response was saved."))
    return redirect(f"{procurement.get_absolute_url()}#comment-{comment.pk}")


@require_POST
def confirm_needs(request, municipality, year, ref):
    pa = plan_access(request, municipality, year)
    procurement = procurement_for(pa, ref)
    pa.require(pa.can_confirm(procurement.department_id))
    review.needs_confirm(procurement=procurement, department=procurement.department, user=request.user)
    messages.success(
        request,
        _("You confirmed that %(department)s's needs are correctly described.")
        % {"department": procurement.department.name},
    )
    return redirect(procurement)


def _procurement_page(request, pa, procurement, status=200, **forms):

    context = _procurement_context(pa, procurement)
    context.update(forms)
    return render(request, "plans/register/procurement.html", context, status=status)


def plan_changes(request, municipality, year):
    """What moved since the remiss opened: procurements added, removed, and changed field by field."""
    pa = plan_access(request, municipality, year)
    pa.require(pa.can_view_review)
    if pa.in_remiss:
        review.ensure_snapshot(pa.plan)
    snapshot, changes = review.changes_since_snapshot(pa.plan)
    rows = snapshot.data if snapshot else {}
    changed = [
        (ref, change_list(fields, snapshot_row=rows.get(ref, {}), disclosure=pa.disclosure))
        for ref, fields in changes.changed.items()
    ]
    context = {"plan": pa.plan, "pa": pa, "snapshot": snapshot, "changes": changes, "changed": changed}
    return render(request, "plans/remiss/changes.html", context)


@require_http_methods(["GET", "POST"])
def plan_manage(request, municipality, year):
    """Plan administrators: the remiss window and the board's adoption."""
    pa = plan_access(request, municipality, year)
    pa.require(pa.can_manage)
    plan = pa.plan
    window_form = WindowForm(
        initial={
            "order_starts": plan.order_starts,
            "order_ends": plan.order_ends,
            "remiss_starts": plan.remiss_starts,
            "remiss_ends": plan.remiss_ends,
            "version": plan.version,
        },
        plan_year=plan.year,
    )
    adoption_form = AdoptionForm(plan=plan, initial={"adopted_on": timezone.localdate()})
    publication_form = PublicationForm(
        initial={
            "publish_draft": plan.publish_draft,
            "show_officer_email": plan.show_officer_email,
            "version": plan.version,
        }
    )
    if request.method == "POST" and request.POST.get("action") == "publication":
        publication_form = PublicationForm(request.POST)
        if publication_form.is_valid():
            try:
                review.plan_set_publication(
                    plan=plan,
                    publish_draft=publication_form.cleaned_data["publish_draft"],
                    show_officer_email=publication_form.cleaned_data["show_officer_email"],
                    user=request.user,
                    expected_version=publication_form.cleaned_data["version"],
                )
            except review.StalePlan as stale:
                refuse_stale(
                    publication_form,
                    stale.current.version,
                    _(
                        "Someone else changed the plan while you were editing it. "
                        "Nothing was saved; save again to replace their choice with yours."
                    ),
                )
            else:
                messages.success(request, _("What the plan publishes was saved."))
                return redirect("plans:manage", municipality=municipality, year=year)
    elif request.method == "POST" and request.POST.get("action") == "window":
        pa.require(pa.can_set_window)
        window_form = WindowForm(request.POST, plan_year=plan.year)
        if window_form.is_valid():
            try:
                review.plan_set_window(
                    plan=plan,
                    starts=window_form.cleaned_data["remiss_starts"],
                    ends=window_form.cleaned_data["remiss_ends"],
                    user=request.user,
                    expected_version=window_form.cleaned_data["version"],
                    order_starts=window_form.cleaned_data.get("order_starts"),
                    order_ends=window_form.cleaned_data.get("order_ends"),
                )
            except review.StalePlan as stale:
                theirs = f"{stale.current.remiss_starts:%Y-%m-%d} – {stale.current.remiss_ends:%Y-%m-%d}"
                yours = (
                    f"{window_form.cleaned_data['remiss_starts']:%Y-%m-%d} – "
                    f"{window_form.cleaned_data['remiss_ends']:%Y-%m-%d}"
                )
                refuse_stale(
                    window_form,
                    stale.current.version,
                    _(
                        "Someone else changed the plan while you were editing it: "
                        "their window is %(theirs)s, yours %(yours)s. "
                        "Nothing was saved; save again to replace theirs with yours."
                    )
                    % {"theirs": theirs, "yours": yours},
                )
            else:
                messages.success(request, _("The windows were saved."))
                return redirect("plans:manage", municipality=municipality, year=year)
    elif request.method == "POST" and request.POST.get("action") == "adopt":
        pa.require(pa.can_record_adoption)
        adoption_form = AdoptionForm(request.POST, request.FILES, plan=plan)
        if adoption_form.is_valid():
            review.plan_record_adoption(
                plan=plan,
                adopted_on=adoption_form.cleaned_data["adopted_on"],
                minute_ref=adoption_form.cleaned_data["minute_ref"],
                minutes=adoption_form.cleaned_data.get("minutes"),
                user=request.user,
            )
            messages.success(
                request, _("The adoption was recorded; the plan is now read-only except for follow-up.")
            )
            return redirect(plan)
    elif request.method == "POST":
        messages.warning(request, _("Nothing was saved."))
    history = pa.disclosure.history(plan.history.filter(procurement__isnull=True).select_related("user")[:20])
    context = {
        "plan": plan,
        "pa": pa,
        "window_form": window_form,
        "adoption_form": adoption_form,
        "publication_form": publication_form,
        "history": history,
        # What is still open before the board adopts the plan; once it has, the list has no purpose.
        "open_items": None
        if plan.adopted_on
        else open_items.open_before_adoption(plan=plan, today=timezone.localdate()),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/remiss/manage.html", context, status=status)


def plan_minutes(request, municipality, year):
    """The board's minutes of the adoption (PDF), for whoever may see the plan; public once adopted."""
    pa = plan_access(request, municipality, year)
    minutes = pa.plan.adoption_minutes
    if not minutes:
        raise Http404
    filename = f"protokoll-{pa.plan.municipality.slug}-{pa.plan.year}.pdf"
    return FileResponse(minutes.open("rb"), content_type="application/pdf", filename=filename)
