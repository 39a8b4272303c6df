from django import template
from django.http import QueryDict

from plans.formatting import format_sek
from plans.scoring import Quadrant

register = template.Library()


@register.filter
def sek(value):
    """12400000 → "12 400 000 kr" (Swedish) or "SEK 12,400,000" (English)."""
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
