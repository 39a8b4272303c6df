"""PlainSelect draws the same <select> as Django's template-rendered Select, only faster."""

import pytest
from django import forms
from django.test.html import parse_html

from plans.register.widgets import PlainSelect

CHOICES = [("", "Alla"), ("KLK", "Kommunledningskontoret"), ("SERV", "Serviceförvaltningen")]


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        (CHOICES, None, {"id": "id_department"}),
        (CHOICES, "", {"id": "id_department"}),
        (CHOICES, "SERV", {"id": "id_department"}),
        (CHOICES, "okänd", {}),
        # Labels and values that must be escaped, and attributes that are flags.
        (
            [("<b>", 'Q&A "x"'), ("2", "<script>alert(1)</script>")],
            "<b>",
            {"required": True, "disabled": False},
        ),
        # Numbers as values are compared as text, as Django does.
        ([(1, "ett"), (2, "två"), (3, "tre")], 2, {"aria-invalid": "true"}),
        # Two options with the same value: only the first is selected.
        ([("a", "A"), ("a", "A igen")], "a", {}),
        ([], None, {}),
    ],
)
def test_plain_select_draws_what_django_draws(choices, value, attrs):
    django_html = forms.Select(choices=choices).render("department", value, attrs=attrs)
    plain_html = PlainSelect(choices=choices).render("department", value, attrs=attrs)
    assert parse_html(plain_html) == parse_html(django_html)


def test_option_groups_are_left_to_django():
    choices = [("Förvaltningar", [("KLK", "Kommunledningskontoret")]), ("", "Alla")]
    assert PlainSelect(choices=choices).render("d", "KLK") == forms.Select(choices=choices).render("d", "KLK")


def test_a_lazy_label_is_translated_when_drawn(settings):
    from django.utils.translation import gettext_lazy, override

    with override("sv"):
        html = PlainSelect(choices=[("true", gettext_lazy("Yes"))]).render("strategic", "true")
    assert ">Ja</option>" in html
