"""The forms the register of social enterprises is kept with (issue 18): an enterprise, and the question
before one is removed. The CPV codes are read here, by one rule that the import reads them by too."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.org_numbers import OrgNumberError, normalise_org_number
from plans.centre import cpv
from plans.models import Category, SocialEnterprise
from plans.register.fields import CountField, VersionedForm
from plans.register.validation import cpv_error, normalise_cpv
from plans.social.register_services import ENTERPRISE_FIELDS

# An enterprise lists what it does, not the whole vocabulary: more than this is a pasted list.
MAX_CPV_CODES = 30
# Codes in one field or cell: separated by spaces, commas, semicolons or lines.
CPV_SEPARATOR = re.compile(r"[\s,;]+")

DUPLICATE_ORG_NUMBER = gettext_lazy("The register already has an enterprise with this organisation number.")
NO_SERVICES = gettext_lazy("Give at least one CPV code or one category, so that matches can be found.")


class CpvListError(ValueError):
    """What is wrong with a list of CPV codes, in the user's words."""


def read_cpv_codes(text: str) -> list[str]:
    """The CPV codes of a text as the eight digits each is kept as, in the order written, each once.

    1. The text is split at spaces, commas, semicolons and line breaks.
    2. Each part is read as people write a code (normalise_cpv): 34110000-1 loses its check digit,
       ="03220000" is the CSV export's text formula, 3220000 a code whose leading zero a spreadsheet
       dropped.
    3. A part that is no code (cpv_error), or a code the vocabulary lacks, is named in the error.
    4. A code written twice counts once; more than MAX_CPV_CODES is refused.
    """
    codes, bad, unknown = [], [], []
    for part in CPV_SEPARATOR.split(text or ""):
        if not part:
            continue
        code = normalise_cpv(part)
        if cpv_error(code):
            bad.append(part)
        elif code not in cpv.known():
            unknown.append(part)
        elif code not in codes:
            codes.append(code)
    problems = []
    if bad:
        problems.append(
            ngettext(
                "%(codes)s is not a CPV code (eight digits, e.g. 34110000 or 34110000-1).",
                "%(codes)s are not CPV codes (eight digits, e.g. 34110000 or 34110000-1).",
                len(bad),
            )
            % {"codes": ", ".join(f"“{part}”" for part in bad)}
        )
    if unknown:
        problems.append(
            ngettext(
                "%(codes)s is not in the CPV vocabulary.",
                "%(codes)s are not in the CPV vocabulary.",
                len(unknown),
            )
            % {"codes": ", ".join(f"“{part}”" for part in unknown)}
        )
    if not problems and len(codes) > MAX_CPV_CODES:
        problems.append(
            _("At most %(limit)d CPV codes (now %(count)d).") % {"limit": MAX_CPV_CODES, "count": len(codes)}
        )
    if problems:
        raise CpvListError(" ".join(problems))
    return codes


def cpv_text(codes) -> str:
    """The codes as the form and the export write them."""
    return " ".join(codes or ())


def existing_org_number(centre, org_number: str, *, exclude_pk=None) -> bool:
    others = SocialEnterprise.objects.filter(centre=centre, org_number=org_number)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


class EnterpriseForm(VersionedForm, forms.ModelForm):
    """An enterprise of the centre's register. Its organisation number is unique in the register (the
    error stands beside it); it needs at least one CPV code or category; the version makes a stale edit
    visible."""

    cpv_codes = forms.CharField(
        label=gettext_lazy("CPV codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Eight digits each, separated by spaces, commas or semicolons, e.g. 98310000 77310000. "
            "At most 30."
        ),
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Categories"),
        required=False,
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "With CPV codes, a category matches only orders that have no code yet; without codes, the "
            "enterprise is matched by its categories."
        ),
    )

    class Meta:
        model = SocialEnterprise
        fields = list(ENTERPRISE_FIELDS)
        field_classes = {"capacity": CountField}
        widgets = {"services": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        if self.instance.pk is None:
            self.instance.centre = centre
        self.versioned = self.instance.pk is not None
        if self.versioned:
            self.fields["version"].initial = self.instance.version
            self.initial["cpv_codes"] = cpv_text(self.instance.cpv_codes)
        municipality = self.fields["municipality"]
        municipality.queryset = centre.municipalities.order_by("name")
        municipality.empty_label = _("Choose a municipality")
        self.fields["org_number"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["contact_email"].widget.attrs["autocomplete"] = "off"
        self.fields["contact_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the enterprise's name."), code="required")
        return name

    def clean_org_number(self):
        text = self.cleaned_data["org_number"]
        try:
            number = normalise_org_number(text)
        except OrgNumberError as error:
            raise forms.ValidationError(str(error), code=error.code) from None
        if not number:
            raise forms.ValidationError(_("Give the organisation number."), code="required")
        if existing_org_number(self.centre, number, exclude_pk=self.instance.pk):
            raise forms.ValidationError(DUPLICATE_ORG_NUMBER, code="unique")
        return number

    def clean_cpv_codes(self):
        try:
            return read_cpv_codes(self.cleaned_data["cpv_codes"])
        except CpvListError as error:
            raise forms.ValidationError(str(error), code="invalid") from None

    def clean(self):
        cleaned = super().clean()
        if "cpv_codes" in cleaned and not cleaned["cpv_codes"] and not cleaned.get("categories"):
            self.add_error("cpv_codes", NO_SERVICES)
        return cleaned


class EnterpriseDeleteForm(forms.Form):
    """The version of the enterprise the remover was shown."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
