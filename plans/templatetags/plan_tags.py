import functools
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django import template
from django.conf import settings
from django.http import QueryDict
from django.utils import formats, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from plans.centre import cpv as cpv_vocabulary
from plans.formatting import format_sek
from plans.scoring import matrix
from plans.scoring.rules import Quadrant

register = template.Library()


@register.filter
def sek(value):
    """12400000 → "12 400 000 kr" (Swedish) or "SEK 12,400,000" (English); nothing for nothing."""
    if value is None or value == "":
        return ""
    return format_sek(value)


@register.filter
def cpv_label(code):
    """The CPV vocabulary's English label of a code (the nearest coarser one the vocabulary has), or ""."""
    return cpv_vocabulary.label(code)


@register.filter
def cpv_label_of_change(value, field_name):
    """In a list of changes, the English label beside a CPV code's before or after, as the procurement page
    shows it; "" for any other field, and for a value that is no known code (or a hidden one)."""
    label = cpv_vocabulary.label(value) if field_name == "cpv" else ""
    return mark_safe(f' <span class="muted" lang="en">{escape(label)}</span>') if label else ""


@register.filter
def value_for(procurement, disclosure):
    """A procurement's estimated value as this viewer may read it: the amount, or "Confidential"
    (plans.register.disclosure decides; the template only asks)."""
    return disclosure.value_text(procurement)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return query.urlencode()


@register.filter(expects_localtime=True)
def moment(value):
    """A time as every page shows it, "2026-09-01 09:00" in the site's time zone; nothing for nothing.

    The same as |date:"Y-m-d H:i", without Django's general date formatter: lists show fifty of these."""
    if not value:
        return ""
    return value.strftime("%Y-%m-%d %H:%M")


@register.filter
def made_by(records, user):
    """The first of records (requests, confirmations …) that user made, or None: "has this reader already
    asked?" without a query per question."""
    if user is None or not user.is_authenticated:
        return None
    return next((record for record in records if record.user_id == user.pk), None)


@register.filter
def quadrant_label(value):
    """strategic → "Strategisk" (in the user's language)."""
    return Quadrant.labels.get(value, value)


@register.filter
def field_label(name):
    """A field name from the history ("estimated_value_sek") as people read it ("uppskattat värde (kr)")."""
    return _field_labels().get(name, name)


@functools.cache
def _field_labels() -> dict:
    """{field name: verbose name (lazy, so read in the language of the request)}; the procurement's
    fields first, then the rubric's and the plan's."""
    from plans.models import Plan, Procurement, Rubric

    labels = {}
    for model in (Plan, Rubric, Procurement):
        labels.update(
            {
                field.name: field.verbose_name
                for field in model._meta.get_fields()
                if hasattr(field, "verbose_name")
            }
        )
    return labels


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


@register.tag
def reuse(parser, token):
    """{% reuse form %}…{% endreuse %}: the block rendered once per page for the same object, then reused.

    For markup that depends on nothing but that object and repeats many times on one page, such as the
    guidance form's fields on every item of the review queue: Django renders a form's widgets through
    templates, which cost more than the rest of an item. The block must not depend on the loop it is in.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% reuse %} takes one argument: the object the block shows.")
    nodelist = parser.parse(("endreuse",))
    parser.delete_first_token()
    return ReuseNode(nodelist, parser.compile_filter(bits[1]))


class ReuseNode(template.Node):
    def __init__(self, nodelist, subject):
        self.nodelist = nodelist
        self.subject = subject

    def render(self, context):
        # The render context's bottom layer lives as long as this page's rendering (includes included).
        rendered = context.render_context.dicts[0].setdefault(self, {})
        subject = self.subject.resolve(context)
        key = id(subject)
        if key not in rendered:
            # Kept with the object, so that its id cannot be taken by another object meanwhile.
            rendered[key] = (subject, self.nodelist.render(context))
        return rendered[key][1]


def _fast_formatting():
    """(an amount formatter, an integer formatter) for many cells of one page, with the language and
    the number format looked up once instead of per cell."""
    language = translation.get_language() or "sv"
    grouped = settings.USE_THOUSAND_SEPARATOR

    def amount(value):
        return escape(format_sek(value, language))

    def integer(value):
        return formats.localize(value) if grouped else str(int(value))

    return amount, integer


def _dot_texts(context, dots) -> list[tuple]:
    """(dot, url, ref, title, amount or None) with the text escaped, once for both the drawing and the
    table of the same dots (a thousand of each on a large plan)."""
    cache = context.render_context.dicts[0].setdefault("dot_texts", {})
    if id(dots) not in cache:
        amount, _integer = _fast_formatting()
        texts = [
            (
                dot,
                escape(dot.url),
                escape(dot.ref),
                escape(dot.title),
                None if dot.value is None else amount(dot.value),
            )
            for dot in dots
        ]
        # Kept with the list, so that its id cannot be taken by another list meanwhile.
        cache[id(dots)] = (dots, texts)
    return cache[id(dots)][1]


@register.simple_tag(takes_context=True)
def matrix_dots(context, dots):
    """The Kraljic matrix's dots as SVG links: a plan of a thousand procurements has a thousand of them,
    so they are drawn here, not by the template engine (numbers unlocalised, as SVG wants; text escaped
    as the template would). Each link is in the tab order and named by its own <title> (read out on
    focus); the strategic ones' references follow in a layer of their own, over the dots, which a
    pointer passes through and a screen reader skips (the names already say them)."""
    strategic = " – " + escape(gettext("strategic for review"))
    links = "\n".join(
        f'<a href="{url}" class="dot{" strategic" if dot.strategic else ""}">'
        f"<title>{ref} {title} – E {dot.economic}, R {dot.supply_risk}"
        f"{'' if amount is None else ', ' + amount}"
        f"{strategic if dot.strategic else ''}</title>"
        f'<circle cx="{dot.x}" cy="{dot.y}" r="{dot.r}"/></a>'
        for dot, url, ref, title, amount in _dot_texts(context, dots)
    )
    names = "".join(
        f'<text x="{label.x}" y="{label.y}" text-anchor="{label.anchor}">{escape(label.ref)}</text>'
        for label in matrix.labels(dots)
    )
    return mark_safe(
        f'{links}\n<g class="dot-labels" aria-hidden="true" font-size="{matrix.LABEL_SIZE}">{names}</g>'
    )


@register.simple_tag(takes_context=True)
def matrix_rows(context, dots):
    """The matrix as table rows, by reference (the accessible twin of matrix_dots)."""
    yes, no, confidential = (escape(gettext(text)) for text in ("Yes", "No", "Confidential"))
    labels = {quadrant: escape(label) for quadrant, label in Quadrant.labels.items()}
    # Scores are 0–5: one digit, the same in every language.
    return mark_safe(
        "\n".join(
            f'<tr><td class="nowrap"><a href="{url}">{ref}</a></td>'
            f"<td>{title}</td>"
            f'<td class="num">{dot.economic}</td>'
            f'<td class="num">{dot.supply_risk}</td>'
            f"<td>{labels.get(dot.quadrant) or escape(dot.quadrant)}</td>"
            f"<td>{yes if dot.strategic else no}</td>"
            f'<td class="num">{confidential if amount is None else amount}</td>'
            "</tr>"
            for dot, url, ref, title, amount in sorted(
                _dot_texts(context, dots), key=lambda texts: texts[0].ref
            )
        )
    )
