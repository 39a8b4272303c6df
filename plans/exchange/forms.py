"""Uploading a file to import."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from plans.exchange.checking import CREATE_DEPARTMENTS_LABEL


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx) or CSV in UTF-8 with comma or semicolon; Swedish or English headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    create_departments = forms.BooleanField(label=CREATE_DEPARTMENTS_LABEL, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": settings.IMPORT_MAX_BYTES // 1_048_576}
            )
        if not upload.name.lower().endswith((".xlsx", ".xlsm", ".csv", ".txt")):
            raise forms.ValidationError(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
        return upload
