"""The form an officer records the decision on a procurement's match with (issue 18)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.models import SocialDecision
from plans.register.fields import VersionedForm

REASON_MAX = 2000


class DecisionForm(VersionedForm):
    """What was decided and why; the hidden version makes a stale decision visible (0: none yet)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("Choose …")), *SocialDecision.Decision.choices],
        error_messages={
            "required": _("Choose what was decided."),
            "invalid_choice": _("Choose one of the decisions offered."),
        },
        help_text=_(
            "A reserved contract, a lot or an employment requirement is set on the procurement at once."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX}),
        help_text=_("Why; shown to everyone who reads the procurement."),
        error_messages={"required": _("Give a reason.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason
