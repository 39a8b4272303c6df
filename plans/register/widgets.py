"""Form widgets drawn in Python.

Django draws a <select> through a template per option (and one more per option's attributes), which
made the plan page's nine filter selects cost about as much as its fifty table rows. These draw the
same HTML directly; anything unusual (option groups, multiple choice) falls back to Django's own.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A single-choice <select> with the HTML of Django's template, drawn in one pass."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if self.allow_multiple_selected or any(isinstance(label, (list, tuple)) for _v, label in choices):
            return super().render(name, value, attrs, renderer)
        wanted = set(self.format_value(value))
        options, chosen = [], False
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            # As Django's Select: only the first matching option is marked.
            selected = not chosen and option_value in wanted
            chosen = chosen or selected
            options.append(
                f'<option value="{conditional_escape(option_value)}"{" selected" if selected else ""}>'
                f"{conditional_escape(label)}</option>"
            )
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        return mark_safe(f"<select{flatatt(final)}>\n  {''.join(options)}\n</select>")


class FlagCheckbox(forms.CheckboxInput):
    """A filter's tick box read from the query string: 1, true, on or yes ticks it; 0, false, no or
    anything else does not (Django's own reads "0" as ticked). Ticked, it sends 1."""

    TICKED = frozenset({"1", "true", "on", "yes"})

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=lambda value: value is True or str(value).lower() in self.TICKED)

    def value_from_datadict(self, data, files, name):
        return str(data.get(name, "")).strip().lower() in self.TICKED

    def format_value(self, value):
        return "1"


class SharedSelect(PlainSelect):
    """A PlainSelect whose options are the same for every request (the CPV vocabulary's 317 divisions and
    groups): each option's HTML is written once per process and language, and a request only marks the
    chosen one."""

    _cache: dict = {}

    def render(self, name, value, attrs=None, renderer=None):
        choices = [("" if option is None else str(option), label) for option, label in self.choices]
        key = (id(self.choices.choices), translation.get_language(), choices[0] if choices else None)
        options = self._cache.get(key)
        if options is None:
            options = [
                (
                    option,
                    f'<option value="{conditional_escape(option)}"',
                    f">{conditional_escape(label)}</option>",
                )
                for option, label in choices
            ]
            self._cache[key] = options
        wanted = set(self.format_value(value))
        parts, chosen = [], False
        for option, head, tail in options:
            # As Django's Select: only the first matching option is marked.
            selected = not chosen and option in wanted
            chosen = chosen or selected
            parts.append(f"{head}{' selected' if selected else ''}{tail}")
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        return mark_safe(f"<select{flatatt(final)}>\n  {''.join(parts)}\n</select>")
