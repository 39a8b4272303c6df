"""The plan templates' own filters: what a list shows for a time and for a changed field's name."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from plans.templatetags.plan_tags import field_label


def render(source, **context):
    return Template("{% load plan_tags %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        ("", ""),
        # Stockholm is UTC+1 in winter and UTC+2 in summer; the lists show the local time.
        (datetime(2026, 1, 15, 8, 5, tzinfo=UTC), "2026-01-15 09:05"),
        (datetime(2026, 7, 1, 22, 30, tzinfo=UTC), "2026-07-02 00:30"),
        # The last minute before and the first after the clocks go forward (29 March 2026, 01:00 UTC).
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "2026-03-29 01:59"),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "2026-03-29 03:00"),
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "2026-10-25 02:30"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "2026-10-25 02:30"),
    ],
)
def test_moment_shows_the_local_time_to_the_minute(value, shown):
    assert render("{{ value|moment }}", value=value) == shown


@pytest.mark.parametrize(
    "value", [datetime(2026, 1, 15, 8, 5, tzinfo=UTC), datetime(2026, 7, 1, 22, 30, tzinfo=UTC)]
)
def test_moment_agrees_with_djangos_date_filter(value):
    ours = render("{{ value|moment }}", value=value)
    djangos = Template('{{ value|date:"Y-m-d H:i" }}').render(Context({"value": value}))
    assert ours == djangos


def test_moment_of_a_date_is_the_date_at_midnight():
    assert render("{{ value|moment }}", value=date(2026, 9, 1)) == "2026-09-01 00:00"


@pytest.mark.parametrize(
    ("name", "swedish", "english"),
    [
        ("estimated_value_sek", "uppskattat värde (kr)", "estimated value (SEK)"),
        ("remiss_ends", "remissen stänger", "remiss closes"),  # a plan field
        ("no_such_field", "no_such_field", "no_such_field"),
        ("note", "note", "note"),
    ],
)
def test_field_label_reads_in_the_users_language(name, swedish, english):
    with translation.override("sv"):
        assert str(field_label(name)) == swedish
    with translation.override("en"):
        assert str(field_label(name)) == english


@pytest.mark.parametrize(
    ("value", "field", "shown"),
    [
        ("34110000", "cpv", ' <span class="muted" lang="en">Passenger cars</span>'),
        ("03220000", "cpv", ' <span class="muted" lang="en">Vegetables, fruits and nuts</span>'),
        (
            "3220000",
            "cpv",
            ' <span class="muted" lang="en">Vegetables, fruits and nuts</span>',
        ),  # a lost leading zero
        ("34110000", "title", ""),  # another field's value is only a value
        ("", "cpv", ""),  # the code was empty
        ("Konfidentiell", "cpv", ""),  # hidden from this reader
        ("99999999", "cpv", ""),  # no code of the vocabulary
    ],
)
def test_a_changed_cpv_code_shows_its_english_label(value, field, shown):
    assert render("{{ value|cpv_label_of_change:field }}", value=value, field=field) == shown
