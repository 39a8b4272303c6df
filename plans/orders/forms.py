"""The orders' forms (issue 14): an order, the queue's filters, and the steps taken with an order (an
officer accepts, merges, asks or declines; the department answers). Every step's form carries the
version of the order it was built from, so that of two officers acting at once only one succeeds."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from plans.followup.radar import next_ref, suggested_advertisement
from plans.models import Order, Procurement
from plans.orders.rules import OrderAction, OrderStatus
from plans.register import validation
from plans.register.fields import DateField, DateInput, MonthsField, SEKField, SuppliersField, VersionedForm

CPV_WIDGET = forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "34110000"})


def _cpv(value: str, *, required: bool) -> str:
    cpv = validation.normalise_cpv(value or "")
    if not cpv and not required:
        return ""
    message = validation.cpv_error(cpv)
    if message:
        raise forms.ValidationError(message)
    return cpv


def officers_of(plan):
    """The procurement officers of the centre that serves the plan's municipality."""
    return (
        User.objects.filter(
            memberships__role=Role.OFFICER, memberships__centre_id=plan.municipality.centre_id
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class OrderForm(VersionedForm, forms.ModelForm):
    """A department's order: placed (versioned=False) or edited (the version makes a stale edit visible).

    departments: the departments the representative may order for; with more than one the form asks
    which, with one the order is simply that department's. None when editing (the department stays)."""

    # Longer than the stored code, so that a wrong length gets the CPV message rather than a length one.
    cpv = forms.CharField(
        label=Order._meta.get_field("cpv").verbose_name,
        help_text=Order._meta.get_field("cpv").help_text,
        max_length=40,
        required=False,
        widget=CPV_WIDGET,
    )

    class Meta:
        model = Order
        fields = [
            "department",
            "title",
            "need",
            "category",
            "cpv",
            "estimated_value_sek",
            "estimation_basis",
            "desired_start",
            "current_contract_ends",
            "new_need",
            "duration_months",
            "options",
            "budget_status",
            "employment_requirement",
            "reserved_contract",
            "labour_conditions",
            "lots",
            "environmental_level",
            "goals",
            "expert_name",
            "expert_email",
            "confidential",
        ]
        field_classes = {
            "estimated_value_sek": SEKField,
            "duration_months": MonthsField,
            "desired_start": DateField,
            "current_contract_ends": DateField,
        }
        widgets = {
            "need": forms.Textarea(attrs={"rows": 4}),
            "estimation_basis": forms.Textarea(attrs={"rows": 2}),
            "desired_start": DateInput(),
            "current_contract_ends": DateInput(),
            "goals": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        self.fields["goals"].queryset = plan.municipality.goals.order_by("target_year", "title")
        if departments is None or len(departments) <= 1:
            del self.fields["department"]
            if departments:
                self.instance.department = departments[0]
        else:
            self.fields["department"].queryset = self.fields["department"].queryset.filter(
                pk__in=[department.pk for department in departments]
            )
        self.versioned = bool(self.instance.pk)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_cpv(self):
        return _cpv(self.cleaned_data.get("cpv"), required=False)

    def clean_estimated_value_sek(self):
        value = self.cleaned_data["estimated_value_sek"]
        message = value is not None and validation.estimated_value_error(value)
        if message:
            raise forms.ValidationError(message)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_need") and cleaned.get("current_contract_ends"):
            self.add_error(
                "new_need",
                _("A new need has no current contract: untick “new need” or leave the contract's end empty."),
            )
        return cleaned

    def order_data(self) -> dict:
        """The order's own fields, for order_place and order_update (goals are set apart: many-to-many)."""
        skip = {"version", "goals", "department"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


# The queue's choice for the orders no officer has handled yet.
NOBODY = 0


class OrderFilterForm(forms.Form):
    """The queue's filters, in the query string so a filtered queue can be bookmarked."""

    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *((status.value, status.label) for status in OrderStatus)],
    )
    officer = forms.TypedChoiceField(label=_("Handled by"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, departments, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All")), *((d.pk, d.name) for d in departments)]
        self.fields["officer"].choices = [
            ("", _("All")),
            # 0: no officer has handled it yet.
            (NOBODY, _("Not handled yet")),
            *((user.pk, user.get_full_name() or user.username) for user in officers),
        ]
        if len(departments) <= 1:
            del self.fields["department"]

    def apply(self, orders):
        """The orders as filtered by every usable value, and the labels of the values that were not."""
        self.is_valid()
        ignored = [str(self.fields[name].label) for name in self.errors if name in self.fields]
        data = getattr(self, "cleaned_data", {})
        if data.get("department"):
            orders = orders.filter(department_id=data["department"])
        if data.get("status"):
            orders = orders.filter(status=data["status"])
        if data.get("officer") == NOBODY:
            orders = orders.filter(handled_by__isnull=True)
        elif data.get("officer"):
            orders = orders.filter(handled_by_id=data["officer"])
        return orders, ignored

    @property
    def filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


# --- The steps taken with an order ---------------------------------------------------------------


class StepForm(VersionedForm):
    """What every step's form has: the order's version (hidden) and the step (OrderAction)."""

    action: OrderAction

    def __init__(self, *args, order, **kwargs):
        kwargs.setdefault("prefix", self.action.value)
        super().__init__(*args, **kwargs)
        self.order = order
        self.fields["version"].initial = order.version

    def procurement_data(self) -> dict | None:
        return None


class TextStepForm(StepForm):
    """Ask (a question), decline (a reason) or answer (the department's answer): a text is needed."""

    text = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}))
    LABELS = {
        OrderAction.ASK: (_("Your question to the department"), _("Write your question.")),
        OrderAction.DECLINE: (_("Why the order is declined"), _("Give a reason.")),
        OrderAction.ANSWER: (_("Your answer"), _("Write your answer.")),
    }

    def __init__(self, *args, action: OrderAction, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)
        label, required = self.LABELS[action]
        self.fields["text"].label = label
        self.fields["text"].error_messages["required"] = required

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(self.fields["text"].error_messages["required"])
        return text


class MergeForm(StepForm):
    """Join the order to a procurement of the same plan. Each choice carries the version of the
    procurement the officer saw ("pk:version"), so that an edit of it meanwhile is not overwritten."""

    action = OrderAction.MERGE
    # Not a ChoiceField: a choice whose version has moved on is still this procurement, and the merge
    # refuses it as a stale edit (with a message saying so) rather than as an unknown choice.
    into = forms.CharField(label=_("The procurement it joins"), widget=forms.Select)

    def __init__(self, *args, procurements, **kwargs):
        super().__init__(*args, **kwargs)
        self.procurements = {procurement.pk: procurement for procurement in procurements}
        self.fields["into"].error_messages["required"] = _("Choose a procurement of the plan.")
        self.fields["into"].widget.choices = [
            ("", "–"),
            *((f"{p.pk}:{p.version}", f"{p.ref} {p.title}") for p in self.procurements.values()),
        ]

    def clean_into(self):
        pk, _sep, version = self.cleaned_data["into"].partition(":")
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        procurement = self.procurements.get(int(pk)) if pk.isdecimal() else None
        if procurement is None or not version.isdecimal():
            raise forms.ValidationError(_("Choose a procurement of the plan."))
        return procurement, int(version)


class AcceptForm(StepForm, forms.ModelForm):
    """Take the order into the plan: the procurement's own fields that an order does not have, pre-filled
    where the order (or the officer acting) says something. The rest comes from the order."""

    action = OrderAction.ACCEPT
    cpv = forms.CharField(
        label=Procurement._meta.get_field("cpv").verbose_name,
        help_text=Procurement._meta.get_field("cpv").help_text,
        max_length=40,
        widget=CPV_WIDGET,
    )

    class Meta:
        model = Procurement
        fields = [
            "ref",
            "cpv",
            "procedure",
            "planned_advertisement",
            "officer",
            "possible_suppliers",
            "business_critical",
            "high_switching_cost",
            "climate_impact",
        ]
        field_classes = {"possible_suppliers": SuppliersField, "planned_advertisement": DateField}
        widgets = {"planned_advertisement": DateInput()}

    def __init__(self, *args, plan, order, officer=None, refs=(), **kwargs):
        initial = {"ref": next_ref(plan.year, refs), "cpv": order.cpv, "officer": officer}
        if order.current_contract_ends:
            suggested = suggested_advertisement(order.current_contract_ends, plan.year)
            initial["planned_advertisement"] = max(suggested, date(plan.year, 1, 1))
        super().__init__(*args, order=order, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        self.fields["officer"].queryset = officers_of(plan)

    def clean_ref(self):
        ref = self.cleaned_data["ref"].strip()
        if Procurement.objects.filter(plan=self.plan, ref__iexact=ref).exists():
            raise forms.ValidationError(
                _("%(ref)s is already used by another procurement in this plan.") % {"ref": ref}
            )
        return ref

    def clean_cpv(self):
        return _cpv(self.cleaned_data.get("cpv"), required=True)

    def clean_planned_advertisement(self):
        advertised = self.cleaned_data["planned_advertisement"]
        if advertised and advertised.year != self.plan.year:
            raise forms.ValidationError(
                _("The planned advertisement must fall in the plan year, %(year)d.")
                % {"year": self.plan.year}
            )
        return advertised

    def procurement_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def step_form(action: str, *args, order, plan, procurements=(), officer=None, refs=(), **kwargs):
    """The form for one step, bound to data or not; None for an unknown step."""
    try:
        action = OrderAction(action)
    except ValueError:
        return None
    if action == OrderAction.ACCEPT:
        return AcceptForm(*args, plan=plan, order=order, officer=officer, refs=refs, **kwargs)
    if action == OrderAction.MERGE:
        return MergeForm(*args, order=order, procurements=procurements, **kwargs)
    return TextStepForm(*args, action=action, order=order, **kwargs)


def prefill_from(procurement, disclosure, *, departments, contract_end=None) -> dict:
    """A new order's initial values from an expiring procurement of an earlier plan (the successor):
    its title, category, CPV, period and the end of its contract; its description as the need only
    where the viewer may read it (never a confidential one's for a department)."""
    initial = {
        "title": procurement.title,
        "category": procurement.category,
        "cpv": procurement.cpv,
        "duration_months": procurement.duration_months,
        "current_contract_ends": contract_end or procurement.current_contract_ends,
        "need": disclosure.description(procurement),
    }
    if procurement.department_id in {department.pk for department in departments}:
        initial["department"] = procurement.department_id
    return initial
