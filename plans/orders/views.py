"""The orders' pages (issue 14): the queue, a new order, one order with its steps, and its edit.

Every page finds the plan and the orders through plans.orders.access (404 for another municipality's,
403 where the plan is public but its orders are not); every step goes through plans.orders.services,
whose StaleOrder and OrderNotPossible become messages here, never a 500."""

import copy

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from plans.followup.radar import contract_end
from plans.models import Order, Outcome, Procurement
from plans.orders import services
from plans.orders.access import OrderAccess, order_access, order_url
from plans.orders.forms import OrderFilterForm, OrderForm, officers_of, prefill_from, step_form
from plans.orders.rules import OFFICER_ACTIONS, WAITING_FOR_OFFICER, OrderAction, OrderStatus
from plans.register.fields import refuse_stale
from plans.register.services import StaleEdit
from plans.register.tables import CountedPaginator
from plans.social import panel

PAGE_SIZE = 50


# --- The queue -----------------------------------------------------------------------------------


def _queue_order(oa: OrderAccess):
    """Waiting for the viewer first, oldest first: for officers (and readers) the orders waiting for an
    officer, for a department the questions it has to answer."""
    first = [OrderStatus.QUESTION] if not oa.sees_all else sorted(WAITING_FOR_OFFICER)
    then = sorted(WAITING_FOR_OFFICER) if not oa.sees_all else [OrderStatus.QUESTION]
    return Case(
        When(status__in=first, then=Value(0)),
        When(status__in=then, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


@require_GET
def order_list(request, municipality, year):
    oa = order_access(request, municipality, year)
    plan = oa.plan
    departments = list(plan.municipality.departments.order_by("name")) if oa.sees_all else oa.own_departments
    form = OrderFilterForm(request.GET or None, departments=departments, officers=officers_of(plan))
    orders = oa.orders()
    counts = dict(orders.order_by().values_list("status").annotate(n=Count("pk")))
    total = sum(counts.values())
    filtered, ignored = form.apply(orders)
    message = _("The filter “%(filter)s” had a value that cannot be used; it was ignored.")
    for label in ignored:
        messages.warning(request, message % {"filter": label})
    rows = (
        oa.disclosure.with_shown_value(filtered)
        .select_related("department", "handled_by", "procurement")
        .defer("need", "estimation_basis", "question", "answer", "reason")
        .annotate(waiting=_queue_order(oa))
        .order_by("waiting", "created_at", "pk")
    )
    if form.filtered:
        paginator = Paginator(rows, PAGE_SIZE)
    else:
        paginator = CountedPaginator(rows, PAGE_SIZE, count=total)
    page = paginator.get_page(request.GET.get("page"))
    plan_url, base = plan.get_absolute_url(), request.path
    for order in page.object_list:
        order.url = f"{base}{order.pk}/"
        if order.procurement is not None:
            order.procurement_url = Procurement.address(plan_url, order.procurement.ref)
    waiting = sum(counts.get(status, 0) for status in WAITING_FOR_OFFICER)
    return render(
        request,
        "plans/orders/list.html",
        {
            "plan": plan,
            "pa": oa.pa,
            "oa": oa,
            "form": form,
            "page": page,
            "total": total,
            "filtered": form.filtered,
            "filtered_count": paginator.count,
            "waiting": waiting,
            "questions": counts.get(OrderStatus.QUESTION, 0),
            "window": oa.window,
            "can_place": bool(oa.placing_departments),
        },
    )


# --- A new order, and changing it -----------------------------------------------------------------


def _place(*, plan, department, form, user) -> Order:
    goals = form.cleaned_data.get("goals") or []
    return services.order_place(
        plan=plan, department=department, data=form.order_data(), user=user, goals=goals
    )


def _update(*, order, form, window_open, user) -> Order:
    return services.order_update(
        order=order,
        data=form.order_data(),
        expected_version=form.cleaned_data["version"],
        window_open=window_open,
        user=user,
        goals=form.cleaned_data.get("goals") or [],
    )


def _successor_of(request, oa: OrderAccess):
    """The procurement of an earlier plan of the same municipality named by ?from=, or None."""
    pk = request.GET.get("from", "")
    if not pk.isdecimal():
        return None, None
    procurement = (
        Procurement.objects.filter(
            pk=int(pk), plan__municipality_id=oa.pa.municipality_id, plan__year__lt=oa.plan.year
        )
        .select_related("plan")
        .first()
    )
    if procurement is None:
        return None, None
    outcome = Outcome.objects.filter(procurement=procurement).first()
    ends = contract_end(outcome.contract_starts, procurement.duration_months) if outcome else None
    return procurement, ends


@require_http_methods(["GET", "POST"])
def order_create(request, municipality, year):
    oa = order_access(request, municipality, year)
    oa.pa.require(oa.can_order)
    departments = oa.placing_departments
    context = {"plan": oa.plan, "pa": oa.pa, "oa": oa, "window": oa.window, "creating": True}
    if not departments:
        # Outside the window the page says so, and a POST is refused: nothing is saved.
        return render(
            request, "plans/orders/form.html", context, status=403 if request.method == "POST" else 200
        )
    successor, ends = _successor_of(request, oa)
    initial = {}
    if successor is not None and request.method == "GET":
        initial = prefill_from(successor, oa.pa.disclosure, departments=departments, contract_end=ends)
    form = OrderForm(request.POST or None, plan=oa.plan, departments=departments, initial=initial)
    if request.method == "POST" and form.is_valid():
        department = form.cleaned_data.get("department") or departments[0]
        order = _place(plan=oa.plan, department=department, form=form, user=request.user)
        messages.success(request, _("Your order was sent to the procurement centre."))
        return redirect(order_url(order))
    return render(request, "plans/orders/form.html", {**context, "form": form, "successor": successor})


def _not_editable(order, window_open: bool) -> str:
    if order.status in (OrderStatus.ACCEPTED, OrderStatus.MERGED):
        return _("The order is in the plan now: changes go as comments on the procurement.")
    if order.status == OrderStatus.DECLINED:
        return _("The order was declined; it can no longer be changed.")
    if not window_open:
        return _("The order window is closed: the order can no longer be changed.")
    return _("The order can no longer be changed.")


@require_http_methods(["GET", "POST"])
def order_edit(request, municipality, year, order):
    oa = order_access(request, municipality, year)
    order = oa.order(order)
    oa.pa.require(oa.may_answer(order))  # the ordering department's, until the plan is adopted
    if not oa.may_edit(order):
        messages.warning(request, _not_editable(order, oa.window.open))
        return redirect(order_url(order))
    form = OrderForm(request.POST or None, instance=copy.copy(order), plan=oa.plan)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _update(order=order, form=form, window_open=oa.window.open, user=request.user)
        except services.StaleOrder as stale:
            refuse_stale(form, stale.current.version, _stale_message(stale.current))
        except services.OrderNotPossible:
            messages.warning(request, _not_editable(order, oa.window.open))
            return redirect(order_url(order))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your changes to the order were saved."))
            return redirect(order_url(saved))
    context = {"plan": oa.plan, "pa": oa.pa, "oa": oa, "window": oa.window, "form": form, "order": order}
    return render(request, "plans/orders/form.html", context)


# --- One order and its steps ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def order_detail(request, municipality, year, order):
    oa = order_access(request, municipality, year)
    order = oa.order(order)
    if request.method == "POST":
        return _act(request, oa, order)
    return _detail(request, oa, order)


def _detail(request, oa: OrderAccess, order, bound=None, status=200):
    """The order's page; bound: the step's form that came back with errors."""
    disclosure = oa.disclosure
    forms = {}
    officer_steps = oa.can_handle and order.status in WAITING_FOR_OFFICER
    if officer_steps:
        procurements = list(oa.plan.procurements.only("pk", "ref", "title", "version").order_by("ref"))
        for action in (OrderAction.ACCEPT, OrderAction.MERGE, OrderAction.ASK, OrderAction.DECLINE):
            forms[action.value] = _step_form(action, None, oa, order, request.user, procurements)
    if oa.may_answer(order) and order.status == OrderStatus.QUESTION:
        forms[OrderAction.ANSWER.value] = _step_form(OrderAction.ANSWER, None, oa, order, request.user, ())
    if bound is not None:
        forms[bound.action.value] = bound
    context = {
        "plan": oa.plan,
        "pa": oa.pa,
        "oa": oa,
        "order": order,
        "hidden": disclosure.hides(order),
        "value_text": disclosure.value_text(order),
        "need": disclosure.need(order),
        "estimation_basis": disclosure.estimation_basis(order),
        # Whether to say "confidential" beside the values of those who may read them.
        "marked_confidential": order.confidential and not disclosure.hides(order),
        "goals": list(order.goals.order_by("title")),
        "events": list(order.events.select_related("user")),
        "forms": forms,
        "officer_steps": officer_steps,
        "may_edit": oa.may_edit(order),
        "ordering_department": order.department_id in oa.departments,
        "procurement_url": order.procurement.get_absolute_url() if order.procurement else "",
        # Social enterprises offering what it orders (issue 18): None when none does.
        "social": panel.order_panel(oa, order),
    }
    return render(request, "plans/orders/detail.html", context, status=status)


def _step_form(action, data, oa, order, user, procurements):
    return step_form(
        action,
        data,
        order=order,
        plan=oa.plan,
        procurements=procurements,
        officer=user if oa.can_handle else None,
        refs=[procurement.ref for procurement in procurements],
    )


SUCCESS = {
    OrderAction.ACCEPT: _("The order was taken into the plan as %(ref)s."),
    OrderAction.MERGE: _("The order was merged into %(ref)s."),
    OrderAction.ASK: _("Your question was sent to the department."),
    OrderAction.DECLINE: _("The order was declined."),
    OrderAction.ANSWER: _("Your answer was sent; the order is with the procurement centre again."),
}


def _act(request, oa: OrderAccess, order):
    """One step with the order, by whom it is for; a bad, stale or impossible one saves nothing."""
    action = request.POST.get("action", "")
    if action in OFFICER_ACTIONS:
        oa.pa.require(oa.can_handle)
    elif action == OrderAction.ANSWER:
        oa.pa.require(oa.may_answer(order))
    else:
        oa.pa.require(oa.can_handle or oa.may_answer(order))
        messages.error(request, _("Choose what to do with the order."))
        return _detail(request, oa, order, status=400)
    action = OrderAction(action)
    procurements = ()
    if action in (OrderAction.ACCEPT, OrderAction.MERGE):
        procurements = list(oa.plan.procurements.only("pk", "ref", "title", "version").order_by("ref"))
    form = _step_form(action, request.POST, oa, order, request.user, procurements)
    if not form.is_valid():
        return _detail(request, oa, order, bound=form, status=400)
    into, into_version = form.cleaned_data.get("into") or (None, None)
    decision = services.Decision(
        text=form.cleaned_data.get("text", ""),
        procurement_data=form.procurement_data(),
        into=into,
        into_version=into_version,
    )
    try:
        saved = services.order_act(
            order=order,
            action=action,
            expected_version=form.cleaned_data["version"],
            user=request.user,
            decision=decision,
        )
    except services.StaleOrder as stale:
        messages.error(request, _stale_message(stale.current))
        return _detail(request, oa, oa.order(order.pk), status=409)
    except StaleEdit as stale:
        messages.error(
            request,
            _(
                "%(ref)s was changed by someone else since this page was opened. Nothing was saved: "
                "choose the procurement again."
            )
            % {"ref": stale.current.ref},
        )
        return _detail(request, oa, order, status=409)
    except services.OrderNotPossible:
        messages.error(
            request,
            _("That is not possible while the order is “%(status)s”. Nothing was saved.")
            % {"status": OrderStatus(order.status).label},
        )
        return _detail(request, oa, order, status=409)
    except ValidationError as error:
        _add_errors(form, error)
        return _detail(request, oa, order, bound=form, status=400)
    ref = saved.procurement.ref if saved.procurement_id else ""
    messages.success(request, SUCCESS[action] % {"ref": ref})
    return redirect(order_url(saved))


def _stale_message(current) -> str:
    """Who acted on the order since the form was built, and what they did, for the one who lost."""
    event = current.events.select_related("user").order_by("-created_at", "-pk").first()
    if event is None:
        return _("Someone changed the order while you were looking at it. Nothing of yours was saved.")
    return _(
        "%(who)s %(what)s at %(when)s, while you were looking at the order. Nothing of yours was saved: "
        "see what the order is now."
    ) % {
        "who": event.user or _("Someone"),
        "what": event.get_action_display(),
        "when": timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M"),
    }


def _add_errors(form, error: ValidationError):
    """A service's ValidationError beside the form's fields; what the form has no field for at its top,
    named by its label."""
    errors = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    for name, texts in errors.items():
        if name in form.fields:
            form.add_error(name, texts)
        elif name == NON_FIELD_ERRORS:
            form.add_error(None, texts)
        else:
            label = _field_label(name)
            form.add_error(None, [f"{label}: {text}" for text in texts])


def _field_label(name: str) -> str:
    for model in (Order, Procurement):
        try:
            return str(model._meta.get_field(name).verbose_name).capitalize()
        except FieldDoesNotExist:
            continue
    return name
