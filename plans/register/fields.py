"""What every form of the plan shares: amounts and counts read as the import reads them (same bounds,
same words), dates, and the version that makes a stale edit visible."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from plans.formatting import format_sek, parse_sek
from plans.register import validation


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
