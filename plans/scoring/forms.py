"""The plan's rubric as a form."""

from django import forms

from plans.models import Rubric, rubric_values_from
from plans.register.fields import SEKField, VersionedForm
from plans.scoring.rules import rubric_errors


class RubricForm(VersionedForm, forms.ModelForm):
    """The plan's rubric. Validated as a whole by scoring.rubric_errors."""

    class Meta:
        model = Rubric
        fields = list(Rubric.EDITABLE_FIELDS)
        field_classes = {
            name: SEKField
            for name in (
                "direct_award_limit",
                "eu_threshold",
                "economic_limit_3",
                "economic_limit_4",
                "economic_limit_5",
            )
        }

    def __init__(self, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            field.disabled = read_only
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.update(step="0.05", min="0", max="1")
            elif isinstance(field, forms.IntegerField) and not isinstance(field, SEKField):
                field.widget.attrs.update(min="0")

    def clean(self):
        cleaned = super().clean()
        if any(name not in cleaned for name in Rubric.EDITABLE_FIELDS):
            return cleaned  # a field has its own error already
        for name, message in rubric_errors(rubric_values_from(cleaned)).items():
            self.add_error(None if name == "__all__" else name, message)
        return cleaned
