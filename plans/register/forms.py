"""The forms of the register: a procurement, and the strategic flag with its reason."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from plans.models import Procurement
from plans.register import validation
from plans.register.fields import (
    DateField,
    DateInput,
    MonthsField,
    PlainMessages,
    SEKField,
    SuppliersField,
    VersionedForm,
)


class ProcurementForm(VersionedForm, forms.ModelForm):
    """Create or edit one procurement of a plan. The version field makes a stale edit visible."""

    # Longer than the stored code, so that a wrong length gets the CPV message rather than a length one.
    cpv = forms.CharField(
        label=Procurement._meta.get_field("cpv").verbose_name,
        help_text=Procurement._meta.get_field("cpv").help_text,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "34110000"}),
    )

    class Meta:
        model = Procurement
        fields = [
            "ref",
            "title",
            "description",
            "department",
            "category",
            "cpv",
            "estimated_value_sek",
            "duration_months",
            "planned_advertisement",
            "current_contract_ends",
            "procedure",
            "possible_suppliers",
            "business_critical",
            "high_switching_cost",
            "employment_requirement",
            "reserved_contract",
            "labour_conditions",
            "lots",
            "climate_impact",
            "environmental_level",
            "innovation",
            "officer",
            "expert_name",
            "expert_email",
            "goals",
            "confidential",
        ]
        field_classes = {
            "estimated_value_sek": SEKField,
            "duration_months": MonthsField,
            "possible_suppliers": SuppliersField,
            "planned_advertisement": DateField,
            "current_contract_ends": DateField,
        }
        widgets = {
            "planned_advertisement": DateInput(),
            "current_contract_ends": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "expert_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "goals": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        self.fields["department"].queryset = plan.municipality.departments.order_by("name")
        self.fields["officer"].queryset = (
            User.objects.filter(
                memberships__role=Role.OFFICER, memberships__centre_id=plan.municipality.centre_id
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        # Only the goals of the plan's municipality: another's goal is "not one of the available choices".
        self.fields["goals"].queryset = plan.municipality.goals.order_by("target_year", "title", "pk")
        self.fields["expert_name"].help_text = _(
            "The department's expert (sakkunnig), who writes the requirements."
        )
        # A negative amount gets the rubric's own words (validation.estimated_value_error), not Django's.
        value_field = self.fields["estimated_value_sek"]
        value_field.min_value = None
        value_field.validators = [v for v in value_field.validators if not isinstance(v, MinValueValidator)]
        self.versioned = bool(self.instance.pk)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_ref(self):
        ref = self.cleaned_data["ref"].strip()
        taken = Procurement.objects.filter(plan=self.plan, ref__iexact=ref).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("%(ref)s is already used by another procurement in this plan.") % {"ref": ref}
            )
        return ref

    def clean_cpv(self):
        cpv = validation.normalise_cpv(self.cleaned_data["cpv"])
        message = validation.cpv_error(cpv)
        if message:
            raise forms.ValidationError(message)
        return cpv

    def clean_estimated_value_sek(self):
        value = self.cleaned_data["estimated_value_sek"]
        message = validation.estimated_value_error(value)
        if message:
            raise forms.ValidationError(message)
        return value

    def clean_planned_advertisement(self):
        advertised = self.cleaned_data["planned_advertisement"]
        message = validation.advertisement_error(advertised, self.plan.year)
        if message:
            raise forms.ValidationError(message)
        return advertised


class FlagForm(PlainMessages, forms.Form):
    """Flag a procurement strategic, or remove the flag; either way with a reason."""

    flagged = forms.TypedChoiceField(
        choices=[("1", _("Flag as strategic")), ("0", _("Remove the flag"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}),
        help_text=_("Why; shown to everyone who reads the procurement."),
        error_messages={"required": _("Give a reason.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason
