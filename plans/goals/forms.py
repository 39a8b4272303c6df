"""The form a plan administrator keeps a goal with."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from plans.models import Goal
from plans.register.fields import VersionedForm

# A goal set before the first plan, or reached long ago, is still a goal; beyond 2100 is a typing error.
FIRST_YEAR, LAST_YEAR = 1990, 2100
# The column's bounds: 14 digits, 2 of them decimals.
LARGEST = Decimal("999999999999.99")
FIGURE = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")


class FigureField(forms.DecimalField):
    """A goal's figure as people write it: "40", "31,5", "−60 %", "1 200". Negative figures are goals
    too (carbon dioxide −60 %)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {"invalid": _("Enter a number, e.g. 40 or −60.")}

    def __init__(self, **kwargs):
        kwargs.update(max_digits=14, decimal_places=2)
        for name in ("min_value", "max_value", "step_size"):
            kwargs.pop(name, None)
        super().__init__(**kwargs)
        self.validators = []

    def to_python(self, value):
        text = "" if value in self.empty_values else str(value)
        for space in (" ", "\u00a0", "\u202f", "%"):
            text = text.replace(space, "")
        text = text.replace("\u2212", "-").replace(",", ".")
        if not text:
            return None
        if not FIGURE.fullmatch(text):  # "1e3" is a number to Decimal, not as anyone writes a goal
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if abs(number) > LARGEST:
            raise forms.ValidationError(_("The number is too large."), code="invalid")
        if number != number.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Give at most two decimals."), code="invalid")
        return number

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            # 40.00 reads "40", 31.50 reads "31,5" in Swedish.
            text = format(value.normalize(), "f")
            return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
        return value


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.update(min_value=FIRST_YEAR, max_value=LAST_YEAR)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})
        self.localize = False

    def prepare_value(self, value):
        return value  # 2035, never "2 035"


class GoalForm(VersionedForm, forms.ModelForm):
    """A goal of the municipality. Its title is unique there (the error stands beside the title); the
    version makes a stale edit visible."""

    class Meta:
        model = Goal
        fields = ["title", "target_value", "unit", "target_year", "measured_by", "reached", "reached_year"]
        field_classes = {
            "target_value": FigureField,
            "reached": FigureField,
            "target_year": YearField,
            "reached_year": YearField,
        }
        widgets = {"measured_by": forms.Textarea(attrs={"rows": 3})}
        labels = {"title": _("Title")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        if self.instance.pk is None:
            self.instance.municipality = municipality
        self.versioned = self.instance.pk is not None
        if self.versioned:
            self.fields["version"].initial = self.instance.version

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Give the goal a title."), code="required")
        others = Goal.objects.filter(municipality=self.municipality, title__iexact=title)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(DUPLICATE_TITLE, code="unique")
        return title

    def clean(self):
        cleaned = super().clean()
        # "40 %" with no unit given: the per cent sign is the unit, not lost.
        typed = (str(self.data.get(self.add_prefix(name), "")) for name in ("target_value", "reached"))
        if not cleaned.get("unit") and any("%" in text for text in typed):
            cleaned["unit"] = "%"
        if cleaned.get("reached_year") is not None and cleaned.get("reached") is None:
            self.add_error("reached", _("Give the figure reached in that year, or leave the year empty."))
        return cleaned


DUPLICATE_TITLE = _("The municipality already has a goal with this title.")


class GoalDeleteForm(forms.Form):
    """What the remover was shown: the goal's version and how many links would go."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    links = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
