"""The form a municipality's labour reserve of a year is kept with (issue 18)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from plans.goals.forms import YearField
from plans.models import LabourReserve
from plans.register import validation
from plans.register.fields import VersionedForm

# What the column holds (a PostgreSQL integer): far above any municipality's population.
MAX_PEOPLE = 2_147_483_647

DUPLICATE_YEAR = _("The municipality's labour reserve of this year is already recorded; edit that one.")
REACHED_OVER_OUTSIDE = _("Those reached cannot be more than the people outside the labour market.")


def _field(name: str):
    return LabourReserve._meta.get_field(name)


class PeopleField(forms.IntegerField):
    """A number of people as written in a report: "2547", "2 547". Negative numbers, fractions and
    numbers beyond the column are refused with the import's words."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value):
        text = "" if value in self.empty_values else str(value).strip()
        for space in (" ", "\u00a0", "\u202f"):
            text = text.replace(space, "")
        if not text:
            return None
        label = capfirst(str(self.label or ""))
        try:
            number = int(text)
        except ValueError:
            raise forms.ValidationError(
                validation.not_whole_number_message(label, str(value).strip()), code="invalid"
            ) from None
        if number < 0:
            raise forms.ValidationError(validation.negative_count_message(label), code="min_value")
        if number > MAX_PEOPLE:
            raise forms.ValidationError(validation.too_large_message(label, text), code="max_value")
        return number


class ReserveForm(VersionedForm):
    """One year of a municipality's labour reserve. The year is recorded once per municipality (the
    error stands beside the year); those reached are at most those outside (the error beside reached);
    the version makes a stale edit visible."""

    year = YearField(label=capfirst(_field("year").verbose_name))
    outside = PeopleField(
        label=capfirst(_field("outside").verbose_name), help_text=_field("outside").help_text
    )
    reached = PeopleField(
        label=capfirst(_field("reached").verbose_name),
        help_text=_field("reached").help_text,
        required=False,
    )
    source = forms.CharField(
        label=capfirst(_field("source").verbose_name),
        max_length=_field("source").max_length,
        required=False,
        help_text=_("E.g. the labour-market department's annual report 2025."),
    )

    def __init__(self, *args, municipality, instance: LabourReserve | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "year": instance.year,
                "outside": instance.outside,
                "reached": instance.reached,
                "source": instance.source,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.instance = instance
        self.versioned = instance is not None

    def clean_year(self):
        year = self.cleaned_data["year"]
        others = LabourReserve.objects.filter(municipality=self.municipality, year=year)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(DUPLICATE_YEAR, code="unique")
        return year

    def clean_source(self):
        return " ".join(self.cleaned_data["source"].split())

    def clean(self):
        cleaned = super().clean()
        outside, reached = cleaned.get("outside"), cleaned.get("reached")
        if outside is not None and reached is not None and reached > outside:
            self.add_error("reached", REACHED_OVER_OUTSIDE)
        return cleaned

    @property
    def data_to_save(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("year", "outside", "reached", "source")}
