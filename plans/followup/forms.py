"""The follow-up forms: what a procurement delivered, the targets and the national reference figures."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.followup.figures import FIGURES
from plans.followup.services import OUTCOME_FIELDS
from plans.models import Outcome
from plans.register.fields import CountField, DateField, DateInput, PlainMessages, SEKField, VersionedForm


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
            "advertised_on": DateField,
            "contract_starts": DateField,
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
        advertised = cleaned.get("advertised_on")
        # A date that cannot be read has its own message beside the field; one is enough.
        if (
            cleaned.get("status") == Outcome.Status.ADVERTISED
            and not advertised
            and "advertised_on" not in self.errors
        ):
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


class NationalForm(PlainMessages, forms.Form):
    """One national reference figure: its year, value and source."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.DecimalField(label=_("Value"), min_value=0, max_digits=14, decimal_places=2)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
