"""The coordination page's forms (issue 16): the settings to try or to save, and the officer's steps."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from plans.models import CentreSettings
from plans.register.fields import PlainMessages, VersionedForm

TITLE_MAX = 300
# The largest id a database row may have (a bigint): a larger number names no procurement.
MAX_ID = 2**63 - 1


def is_id(value) -> bool:
    """True for a whole number in ASCII digits that can be a row's id ("²" and "٣" are digits to
    str.isdigit, but not to int())."""
    text = str(value if value is not None else "")
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


def _settings_field(name: str, *, required: bool) -> forms.IntegerField:
    """An integer field with the model field's label, help and bounds."""
    model_field = CentreSettings._meta.get_field(name)
    bounds = {type(validator).__name__: validator.limit_value for validator in model_field.validators}
    return forms.IntegerField(
        label=capfirst(model_field.verbose_name),
        help_text=model_field.help_text,
        min_value=bounds.get("MinValueValidator"),
        max_value=bounds.get("MaxValueValidator"),
        required=required,
    )


class TryForm(PlainMessages, forms.Form):
    """Other values to try, by GET; an empty one is the centre's setting."""

    cpv_digits = _settings_field("coordination_cpv_digits", required=False)
    months = _settings_field("coordination_months", required=False)

    def values(self, in_use: dict) -> dict:
        """The values to suggest with: each one tried, where it can be used, else the centre's setting
        (in_use: field name → the setting). A value that cannot be used says so beside its field, and that
        the setting is used instead (one message, so the field's error keeps its single id)."""
        if not self.is_bound:
            return dict(in_use)
        self.is_valid()
        values = {}
        for name, setting in in_use.items():
            tried = self.cleaned_data.get(name)
            values[name] = setting if tried is None else tried
            if name in self.errors:
                instead = _("The centre's setting, %(value)s, is used instead.") % {"value": setting}
                self.errors[name] = self.error_class([" ".join([*self.errors[name], str(instead)])])
        return values


class SettingsForm(VersionedForm):
    """The centre's coordination settings, for its plan administrators (versioned)."""

    cpv_digits = _settings_field("coordination_cpv_digits", required=True)
    months = _settings_field("coordination_months", required=True)


class PksField(forms.Field):
    """Procurements ticked in a list of checkboxes: every value a whole number."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("Choose among the procurements shown.")}

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        if not all(is_id(item) for item in values):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return sorted({int(item) for item in values})


class CreateForm(PlainMessages, forms.Form):
    """A suggestion made a coordinated procurement: the ticked procurements, the lead among them and a
    title (the lead's when empty). suggestion: the suggestion's first procurement, to show errors by it."""

    suggestion = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_ID)
    procurement = PksField(
        label=_("Procurements"),
        error_messages={"required": _("Tick the procurements of two municipalities or more.")},
    )
    lead = forms.IntegerField(
        label=_("Lead"),
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "required": _("Choose the lead."),
            "invalid": _("Choose the lead."),
            "min_value": _("Choose the lead."),
            "max_value": _("Choose the lead."),
        },
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, required=False)

    def clean_procurement(self):
        ticked = self.cleaned_data["procurement"]
        if len(ticked) < 2:
            raise forms.ValidationError(_("Tick the procurements of two municipalities or more."))
        return ticked

    def clean(self):
        cleaned = super().clean()
        ticked, lead = cleaned.get("procurement"), cleaned.get("lead")
        if ticked and lead is not None and lead not in ticked:
            self.add_error("lead", _("Choose the lead among the ticked procurements."))
        return cleaned


class JoinForm(VersionedForm):
    """Procurements joining an existing group, from the version of the group the page showed."""

    procurement = PksField(
        label=_("Procurements"), error_messages={"required": _("Tick the procurements that join.")}
    )


class GroupStepForm(VersionedForm):
    """Leave or dissolve: only the version of the group the page showed."""
