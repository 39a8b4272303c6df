"""What every form of the plan shares: amounts and counts read as the import reads them (same bounds,
same words), dates, and the version that makes a stale edit visible."""

import datetime
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from plans.formatting import format_sek, parse_sek
from plans.register import validation

# Django's length and range messages ("Ensure this value has at most 300 characters (it has 412).") in
# plain words. A field's own message for the same code still wins; the model's checks, run by a model
# form, are worded by the form field too (BaseModelForm._update_errors).
PLAIN_MESSAGES = {
    "max_length": ngettext_lazy(
        "At most %(limit_value)d character (now %(show_value)d).",
        "At most %(limit_value)d characters (now %(show_value)d).",
        "limit_value",
    ),
    "min_length": ngettext_lazy(
        "At least %(limit_value)d character (now %(show_value)d).",
        "At least %(limit_value)d characters (now %(show_value)d).",
        "limit_value",
    ),
    "max_value": _("At most %(limit_value)s."),
    "min_value": _("At least %(limit_value)s."),
    "max_digits": ngettext_lazy("At most %(max)s digit.", "At most %(max)s digits.", "max"),
    "max_decimal_places": ngettext_lazy("At most %(max)s decimal.", "At most %(max)s decimals.", "max"),
    "max_whole_digits": ngettext_lazy(
        "At most %(max)s digit before the decimal point.",
        "At most %(max)s digits before the decimal point.",
        "max",
    ),
}


class PlainMessages:
    """A form whose fields say their length and range limits in plain words (PLAIN_MESSAGES)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            for code, message in PLAIN_MESSAGES.items():
                field.error_messages.setdefault(code, message)


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
        text = "" if value in self.empty_values else str(value).strip()
        if not text:  # nothing, or only spaces: no amount
            return None
        try:
            amount = (
                Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else parse_sek(text)
            )
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
        text = "" if value in self.empty_values else str(value).strip()
        if not text:  # nothing, or only spaces: no number
            return None
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


class VersionedForm(PlainMessages, forms.Form):
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
    """A date picker. What was typed comes back as typed when it is not a date: a date input shows
    nothing for a value that is not yyyy-mm-dd, so that one is drawn as a text input beside its message.
    A date typed as a Swede writes it (1/2/2027) comes back as the picker's 2027-02-01."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str):
            try:
                return validation.read_date(value).isoformat()
            except ValueError:
                return value.strip() or None
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        shown = context["widget"]["value"]
        if shown and not validation.ISO_DATE.fullmatch(shown):
            context["widget"]["type"] = "text"
        return context


class DateField(forms.DateField):
    """A date read by the import's rule (validation.read_date): 2027-02-01 or 1/2/2027, which is 1
    February; anything else is refused with the import's words, never guessed (Django's Swedish formats
    would read 1/2/2027 as 2 January)."""

    widget = DateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if not text:
            return None
        try:
            return validation.read_date(text)
        except ValueError:
            message = validation.not_a_date_message(_label(self), text)
            raise forms.ValidationError(message, code="invalid") from None


def refuse_stale(form, version: int, message) -> None:
    """Refuse a stale save in the form: it keeps what the editor typed, now on the version saved meanwhile,
    so that saving again knowingly replaces the other person's; the message says so above the form."""
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = version
    form.add_error(None, message)
