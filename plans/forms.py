from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User

from . import validation
from .followup import OUTCOME_FIELDS
from .formatting import format_sek, parse_sek
from .models import Guidance, Outcome, Procurement, Rubric, rubric_values_from
from .scoring import rubric_errors


def _label(field) -> str:
    return capfirst(str(field.label or ""))


def _without_range_validators(field):
    """Django's own "greater than or equal to 0" and "less than or equal to 9223372036854775807" give
    way to the import's words, which these fields say themselves (validation)."""
    field.validators = [
        v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
    ]
    field.min_value = field.max_value = None
    for attr in ("min", "max"):
        field.widget.attrs.pop(attr, None)


class SEKField(forms.IntegerField):
    """An amount in whole kronor, typed as people write it: "12 400 000", "12400000 kr". Öre and
    amounts beyond the column are refused with the import's words, never rounded or truncated."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {"invalid": _("Enter an amount in kronor, e.g. 12 400 000.")}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        _without_range_validators(self)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        try:
            amount = Decimal(value) if isinstance(value, int) else parse_sek(text)
        except (ValueError, ArithmeticError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        message = validation.amount_error(amount, _label(self), text)
        if message:
            raise forms.ValidationError(message, code="invalid")
        return int(amount)


class CountField(forms.IntegerField):
    """A whole number within its column (bids, people employed …), with the import's words for a
    fraction, a negative number or one the column cannot hold. A field with a rule of its own (the
    contract period, the possible suppliers) asks it first, as the import does."""

    rule = None  # a validation function: number → message or None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        _without_range_validators(self)
        self.widget.attrs["min"] = 0

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        try:
            number = int(text)
        except ValueError:
            raise forms.ValidationError(validation.not_whole_number_message(_label(self), text)) from None
        rule = type(self).rule
        message = (rule and rule(number)) or validation.count_error(number, _label(self), text)
        if message:
            raise forms.ValidationError(message, code="invalid")
        return number


class MonthsField(CountField):
    """The contract period: 1–120 months, with one message for every number outside it."""

    rule = staticmethod(validation.duration_error)


class SuppliersField(CountField):
    """How many suppliers could deliver: at least one (or empty: unknown)."""

    rule = staticmethod(validation.possible_suppliers_error)


MISSING_VERSION = _(
    "The form came without the version it was built from, so it cannot tell whether someone else has "
    "saved since. Nothing was saved: reload the page and make your change again."
)


class VersionedForm(forms.Form):
    """Optimistic locking for a form that edits something another person may save meanwhile: the
    hidden version is the one the form was built from (0: nothing was saved yet). A POST without it is
    refused, with a message and nothing saved; a stale one is refused by the service that saves."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    # False where the form creates rather than edits: there is no version to hold.
    versioned = True

    def clean(self):
        cleaned = super().clean()
        if self.versioned and cleaned.get("version") in (None, "") and "version" not in self.errors:
            self.add_error(None, MISSING_VERSION)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # A bad hidden field has no place beside a visible one: say it at the top of the form.
        if "version" in self.errors:
            self.errors.pop("version")
            self.add_error(None, MISSING_VERSION)

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_sek(value).replace("\u00a0kr", "").replace("SEK\u00a0", "")
        return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
            "confidential",
        ]
        field_classes = {
            "estimated_value_sek": SEKField,
            "duration_months": MonthsField,
            "possible_suppliers": SuppliersField,
        }
        widgets = {
            "planned_advertisement": DateInput(),
            "current_contract_ends": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
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


class FlagForm(forms.Form):
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


class RubricForm(VersionedForm, forms.ModelForm):
    """The plan's rubric. Validated as a whole by scoring.rubric_errors."""

    class Meta:
        model = Rubric
        fields = list(Rubric.EDITABLE_FIELDS)
        field_classes = {
            name: SEKField
            for name in (
                "direct_award_limit",
                "eu_threshold",
                "economic_limit_3",
                "economic_limit_4",
                "economic_limit_5",
            )
        }

    def __init__(self, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            field.disabled = read_only
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.update(step="0.05", min="0", max="1")
            elif isinstance(field, forms.IntegerField) and not isinstance(field, SEKField):
                field.widget.attrs.update(min="0")

    def clean(self):
        cleaned = super().clean()
        if any(name not in cleaned for name in Rubric.EDITABLE_FIELDS):
            return cleaned  # a field has its own error already
        for name, message in rubric_errors(rubric_values_from(cleaned)).items():
            self.add_error(None if name == "__all__" else name, message)
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx) or CSV in UTF-8 with comma or semicolon; Swedish or English headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    create_departments = forms.BooleanField(
        label=_("Create departments that the file names and the municipality lacks"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": settings.IMPORT_MAX_BYTES // 1_048_576}
            )
        if not upload.name.lower().endswith((".xlsx", ".xlsm", ".csv", ".txt")):
            raise forms.ValidationError(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
        return upload


class GuidanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Guidance"), choices=Guidance.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Your guidance"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
        error_messages={"required": _("Write a few words of guidance.")},
    )


class InvolvementForm(forms.Form):
    text = forms.CharField(
        label=_("What you want to raise (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
        error_messages={"required": _("Write your comment.")},
    )


class AnswerForm(forms.Form):
    response = forms.CharField(
        label=_("Response"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}),
        error_messages={"required": _("Write your response.")},
    )
    handled = forms.BooleanField(label=_("Handled"), required=False, initial=True)


class WindowForm(VersionedForm):
    remiss_starts = forms.DateField(label=_("Remiss opens"), widget=DateInput())
    remiss_ends = forms.DateField(label=_("Remiss closes"), widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("remiss_starts"), cleaned.get("remiss_ends")
        if starts and ends and ends < starts:
            self.add_error("remiss_ends", _("The remiss cannot close before it opens."))
        return cleaned


class AdoptionForm(forms.Form):
    adopted_on = forms.DateField(label=_("Date of the board's decision"), widget=DateInput())
    minute_ref = forms.CharField(
        label=_("Minute reference"), max_length=100, help_text=_("E.g. UN 2026-12-14 § 87.")
    )
    minutes = forms.FileField(
        label=_("The minutes (PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_adopted_on(self):
        adopted_on = self.cleaned_data["adopted_on"]
        if adopted_on > timezone.localdate():
            raise forms.ValidationError(_("An adoption cannot be recorded ahead of the decision."))
        if adopted_on < self.plan.remiss_starts:
            raise forms.ValidationError(_("The board decides after the remiss has opened."))
        return adopted_on

    def clean_minutes(self):
        minutes = self.cleaned_data.get("minutes")
        if minutes:
            if minutes.size > settings.IMPORT_MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than %(limit)d MB.") % {"limit": 10})
            if minutes.read(5) != b"%PDF-":
                raise forms.ValidationError(_("The minutes must be a PDF file."))
            minutes.seek(0)
        return minutes


class OutcomeForm(VersionedForm, forms.ModelForm):
    """What a procurement delivered. The version makes a stale edit visible: 0 when no outcome had been
    saved when the form was built, so that a form built before someone's first save cannot replace it."""

    class Meta:
        model = Outcome
        fields = list(OUTCOME_FIELDS)
        field_classes = {
            "awarded_value_sek": SEKField,
            "bids": CountField,
            "sme_bids": CountField,
            "people_employed": CountField,
            "internships": CountField,
        }
        widgets = {
            "advertised_on": DateInput(),
            "contract_starts": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0
        self.fields["awarded_value_sek"].required = False

    def clean(self):
        cleaned = super().clean()
        bids, sme = cleaned.get("bids"), cleaned.get("sme_bids")
        if bids is not None and sme is not None and sme > bids:
            self.add_error(
                "sme_bids", _("There cannot be more bids from small and medium suppliers than bids.")
            )
        if cleaned.get("appeal_outcome") and not cleaned.get("appealed"):
            self.add_error("appeal_outcome", _("A court's outcome needs an appeal: tick “appealed”."))
        if cleaned.get("status") == Outcome.Status.APPEALED:
            cleaned["appealed"] = True
        if cleaned.get("status") == Outcome.Status.ADVERTISED and not cleaned.get("advertised_on"):
            self.add_error("advertised_on", _("Give the date it was advertised."))
        awarded = cleaned.get("awarded_value_sek")
        if awarded is not None and awarded < 0:
            self.add_error("awarded_value_sek", _("The awarded value cannot be negative."))
        return cleaned


class TargetsForm(VersionedForm):
    """The municipality's targets for the key figures of one plan (empty: no target). Its version is
    a fingerprint of the targets and the national references as the form found them
    (followup.targets_version)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, keys, initial_targets, version, **kwargs):
        super().__init__(*args, **kwargs)
        from .figures import FIGURES

        self.fields["version"].initial = version

        for key in keys:
            label, unit, _better = FIGURES[key]
            self.fields[key] = forms.DecimalField(
                label=f"{label} ({unit})" if unit else label,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=initial_targets.get(key),
            )


class CustomTargetForm(forms.Form):
    label = forms.CharField(
        label=_("Goal"), max_length=200, help_text=_("E.g. Organic food in the municipal kitchens.")
    )
    value = forms.DecimalField(label=_("Target"), min_value=0, max_digits=14, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False, initial="%")
    actual = forms.DecimalField(
        label=_("Reached"), min_value=0, max_digits=14, decimal_places=2, required=False
    )


class NationalForm(forms.Form):
    """One national reference figure: its year, value and source."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.DecimalField(label=_("Value"), min_value=0, max_digits=14, decimal_places=2)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
