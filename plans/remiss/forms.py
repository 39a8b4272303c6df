"""The remiss forms: guidance, early involvement, comments and answers, the window and the adoption."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import Guidance
from plans.orders.rules import default_order_window
from plans.register.fields import DateField, PlainMessages, VersionedForm


class GuidanceForm(PlainMessages, forms.Form):
    kind = forms.ChoiceField(label=_("Guidance"), choices=Guidance.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Your guidance"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
        error_messages={"required": _("Write a few words of guidance.")},
    )


class InvolvementForm(PlainMessages, forms.Form):
    text = forms.CharField(
        label=_("What you want to raise (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}),
    )


class CommentForm(PlainMessages, forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
        error_messages={"required": _("Write your comment.")},
    )


class AnswerForm(PlainMessages, forms.Form):
    response = forms.CharField(
        label=_("Response"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}),
        error_messages={"required": _("Write your response.")},
    )
    handled = forms.BooleanField(label=_("Handled"), required=False, initial=True)


class WindowForm(VersionedForm):
    """The plan's two windows: the departments' orders (empty: 1 February – 31 May of the year before)
    and, after it, the remiss."""

    order_starts = DateField(label=_("Orders open"), required=False)
    order_ends = DateField(label=_("Orders close"), required=False)
    remiss_starts = DateField(label=_("Remiss opens"))
    remiss_ends = DateField(label=_("Remiss closes"))

    def __init__(self, *args, plan_year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The plan's year, for the default order window: it too must close before the remiss opens.
        self.plan_year = plan_year

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("remiss_starts"), cleaned.get("remiss_ends")
        if starts and ends and ends < starts:
            self.add_error("remiss_ends", _("The remiss cannot close before it opens."))
        if "order_starts" in self.errors or "order_ends" in self.errors:
            return cleaned  # a day that cannot be read has its own message
        order_starts, order_ends = cleaned.get("order_starts"), cleaned.get("order_ends")
        if bool(order_starts) != bool(order_ends):
            self.add_error(
                "order_ends" if order_starts else "order_starts",
                _("Give both days of the order window, or neither for the default."),
            )
            return cleaned
        if order_starts and order_ends < order_starts:
            self.add_error("order_ends", _("The orders cannot close before they open."))
            return cleaned
        if not order_ends and self.plan_year:
            order_ends = default_order_window(self.plan_year)[1]
        if starts and order_ends and order_ends >= starts:
            field = "order_ends" if cleaned.get("order_ends") else "remiss_starts"
            self.add_error(field, _("The orders must close before the remiss opens."))
        return cleaned


class PublicationForm(VersionedForm):
    """What the plan shows the public besides the adopted plan (issue 17)."""

    publish_draft = forms.BooleanField(
        label=_("Publish the draft during the remiss"),
        required=False,
        help_text=_(
            "From the day the remiss opens until adoption, anyone can read the plan as a draft, without "
            "confidential values, and suppliers find it under Coming procurements."
        ),
    )
    show_officer_email = forms.BooleanField(
        label=_("Show the responsible officer's e-mail to the public"),
        required=False,
        help_text=_("On each public procurement page, for suppliers' questions."),
    )


class AdoptionForm(PlainMessages, forms.Form):
    adopted_on = DateField(label=_("Date of the board's decision"))
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
