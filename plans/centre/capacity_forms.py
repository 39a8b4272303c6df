"""The capacity page's forms: each officer's capacity per quarter, the weights of the load, and the
officer a procurement is assigned to. Points are typed as people write them: 6, 2,5 or 2.5."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from plans.centre.capacity import QUARTERS, Weights, points_text
from plans.models import CentreSettings
from plans.register.fields import PLAIN_MESSAGES, VersionedForm

NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")


class PointsField(forms.Field):
    """A number of points, at least 0, with at most `decimals` decimals and at most `largest`; empty is
    None (for a capacity: not set)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": "5"})
    default_error_messages = {
        "invalid": _("Enter a number of points, e.g. 6 or 2,5."),
        "negative": _("Points cannot be negative."),
        "too_large": _("At most %(largest)s points."),
        "decimals": PLAIN_MESSAGES["max_decimal_places"],
    }

    def __init__(self, *, decimals: int, largest: Decimal, **kwargs):
        super().__init__(**kwargs)
        self.decimals, self.largest = decimals, largest

    def to_python(self, value):
        text = "" if value in self.empty_values else str(value)
        for space in (" ", "\u00a0", "\u202f"):
            text = text.replace(space, "")
        text = text.replace("\u2212", "-").replace(",", ".")
        if not text:
            return None
        if not NUMBER.fullmatch(text):  # "1e3" and "NaN" are numbers to Decimal, not to anyone typing points
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if number > self.largest:
            raise forms.ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={"largest": points_text(self.largest)},
            )
        if number != number.quantize(Decimal(1).scaleb(-self.decimals)):
            raise forms.ValidationError(
                self.error_messages["decimals"], code="decimals", params={"max": self.decimals}
            )
        return number

    def prepare_value(self, value):
        return points_text(value) if isinstance(value, Decimal) else value


def capacity_field_name(officer_id: int, quarter: int) -> str:
    return f"c-{officer_id}-{quarter}"


class CapacityForm(forms.Form):
    """Each officer's capacity per quarter of the year; an empty field is a capacity not set. stamp: the
    capacities the form was built from (capacity.capacity_stamp), for a stale save."""

    stamp = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, officers, capacities, stamp, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stamp"].initial = stamp
        self.officers = list(officers)
        self.rows = []
        for officer in self.officers:
            names = []
            for quarter in QUARTERS:
                name = capacity_field_name(officer.pk, quarter)
                self.fields[name] = PointsField(
                    decimals=1,
                    largest=Decimal("999"),
                    required=False,
                    label=_("%(officer)s, Q%(quarter)s") % {"officer": officer, "quarter": quarter},
                    initial=capacities.get((officer.pk, quarter)),
                )
                names.append(name)
            self.rows.append((officer, [self[name] for name in names]))

    def points(self) -> dict:
        """{(officer id, quarter): points or None} as typed."""
        return {
            (officer.pk, quarter): self.cleaned_data[capacity_field_name(officer.pk, quarter)]
            for officer in self.officers
            for quarter in QUARTERS
        }


class WeightsForm(VersionedForm):
    """What a procurement weighs on its officer's quarter, by quadrant, and a direct award."""

    def __init__(self, *args, settings: CentreSettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = settings.version
        for name in Weights.NAMES:
            model_field = CentreSettings._meta.get_field(f"weight_{name}")
            self.fields[name] = PointsField(
                decimals=2,
                largest=Decimal("20"),
                label=capfirst(model_field.verbose_name),
                help_text=model_field.help_text,
                initial=getattr(settings, f"weight_{name}"),
            )

    def weights(self) -> Weights:
        return Weights(**{name: self.cleaned_data[name] for name in Weights.NAMES})


class AssignForm(forms.Form):
    """The officer to assign, one of the centre's; the version the page showed of the procurement."""

    officer = forms.TypedChoiceField(label=_("Officer"), coerce=int)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", _("Choose an officer"))] + [
            (officer.pk, str(officer)) for officer in officers
        ]
        self.fields["officer"].error_messages.update(
            required=_("Choose an officer."),
            invalid_choice=_("Choose one of the centre's officers."),
        )
