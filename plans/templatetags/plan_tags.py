from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.http import QueryDict

from plans.formatting import format_sek
from plans.scoring import Quadrant

register = template.Library()


@register.filter
def sek(value):
    """12400000 → "12 400 000 kr" (Swedish) or "SEK 12,400,000" (English); nothing for nothing."""
    if value is None or value == "":
        return ""
    return format_sek(value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return query.urlencode()


@register.filter
def quadrant_label(value):
    """strategic → "Strategisk" (in the user's language)."""
    return Quadrant.labels.get(value, value)


@register.filter
def field_label(name):
    """A field name from the history ("estimated_value_sek") as people read it ("uppskattat värde (kr)")."""
    from plans.models import Plan, Procurement, Rubric

    for model in (Procurement, Rubric, Plan):
        try:
            return model._meta.get_field(name).verbose_name
        except Exception:
            continue
    return name


@register.simple_tag
def figure(value, unit=""):
    """A key figure as read: "3,9", "3,4 %", "12 400 000 kr", or "–" when there is nothing to count."""
    from django.utils import formats

    if value is None:
        return "–"
    if unit == "kr":
        return format_sek(value)
    if not isinstance(value, int):
        # Django's number_format cuts decimals off; a key figure is rounded (3.89 → 3,9).
        value = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = formats.number_format(value, use_l10n=True)
    return f"{text}\u00a0%" if unit == "%" else text


@register.simple_tag
def figure_of(values, key, unit=""):
    return figure(values.get(key), unit)
