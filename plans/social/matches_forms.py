"""The filters of the centre's coming matches (issue 18): a municipality, decided or not, an enterprise."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.register.widgets import PlainSelect

DECIDED, UNDECIDED = "yes", "no"


class MatchFilterForm(forms.Form):
    municipality = forms.TypedChoiceField(
        label=_("Municipality"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    decided = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("All")), (UNDECIDED, _("Not decided")), (DECIDED, _("Decided"))],
        widget=PlainSelect,
    )
    enterprise = forms.TypedChoiceField(
        label=_("Social enterprise"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )

    def __init__(self, data=None, *, municipalities, enterprises):
        """municipalities: [(pk, name)]; enterprises: the register's, by name."""
        super().__init__(data)
        self.fields["municipality"].choices = [("", _("All")), *municipalities]
        self.fields["enterprise"].choices = [("", _("All"))] + [(e.id, e.name) for e in enterprises]

    def filters(self) -> tuple[dict, list[str]]:
        """The filters to apply ({} unbound), and the labels of those whose value cannot be used (ignored:
        a page never fails on a query string)."""
        if not self.is_bound:
            return {}, []
        self.is_valid()
        cleaned = self.cleaned_data
        ignored = [str(self.fields[name].label) for name in self.errors]
        filters = {
            "municipality": cleaned.get("municipality"),
            "decided": {DECIDED: True, UNDECIDED: False}.get(cleaned.get("decided")),
            "enterprise": cleaned.get("enterprise"),
        }
        return filters, ignored

    @property
    def active(self) -> int:
        if not self.is_bound:
            return 0
        return sum(1 for name in ("municipality", "decided", "enterprise") if self.data.get(name))
