"""Length and range messages in plain words ("Högst 300 tecken (nu 412)."), on every form of the site,
instead of Django's "Se till att detta värde har som mest 300 tecken (det har 412)."."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from plans.followup.forms import NationalForm
from plans.goals.forms import GoalForm
from plans.models import Rubric
from plans.register.forms import FlagForm, ProcurementForm
from plans.remiss.forms import AdoptionForm, AnswerForm, CommentForm, GuidanceForm, InvolvementForm
from plans.scoring.forms import RubricForm

# Django's own Swedish wording, which none of our forms may show.
DJANGO_WORDS = ("Säkerställ", "Kontrollera att", "som mest", "mindre än eller lika med", "större än eller")


def build(name, plan):
    return {
        "procurement": lambda: ProcurementForm(plan=plan),
        "goal": lambda: GoalForm(municipality=plan.municipality),
        "rubric": lambda: RubricForm(instance=Rubric(plan=plan)),
        "adoption": lambda: AdoptionForm(plan=plan),
        "guidance": GuidanceForm,
        "involvement": InvolvementForm,
        "comment": CommentForm,
        "answer": AnswerForm,
        "flag": FlagForm,
        "national": NationalForm,
    }[name]()


CASES = [
    # form, field, value, the message in English (our own msgid)
    ("procurement", "title", "x" * 412, "At most 300 characters (now 412)."),
    ("procurement", "ref", "x" * 41, "At most 40 characters (now 41)."),
    ("goal", "title", "x" * 201, "At most 200 characters (now 201)."),
    ("goal", "target_year", 1989, "At least 1990."),
    ("goal", "target_year", 2101, "At most 2100."),
    ("rubric", "employment_points", -1, "At least 0."),
    ("adoption", "minute_ref", "x" * 101, "At most 100 characters (now 101)."),
    ("guidance", "text", "x" * 4001, "At most 4000 characters (now 4001)."),
    ("involvement", "text", "x" * 4001, "At most 4000 characters (now 4001)."),
    ("comment", "text", "x" * 4001, "At most 4000 characters (now 4001)."),
    ("answer", "response", "x" * 4001, "At most 4000 characters (now 4001)."),
    ("flag", "reason", "x" * 2001, "At most 2000 characters (now 2001)."),
    ("national", "year", 1999, "At least 2000."),
    ("national", "value", "-1", "At least 0."),
    ("national", "value", "1234567890123", "At most 12 digits before the decimal point."),
    ("national", "value", "1.234", "At most 2 decimals."),
    ("national", "source", "x" * 301, "At most 300 characters (now 301)."),
]


def errors_of(form, field, value):
    form_field = form.fields[field]
    try:
        form_field.clean(value)
    except ValidationError as error:
        return [str(message) for message in error.messages]
    return []


@pytest.mark.parametrize(("form", "field", "value", "message"), CASES)
def test_length_and_range_messages_are_plain(form, field, value, message, falun_plan):
    with translation.override("en"):
        assert errors_of(build(form, falun_plan), field, value) == [message]
    with translation.override("sv"):
        errors = errors_of(build(form, falun_plan), field, value)
        assert errors and not any(words in error for error in errors for words in DJANGO_WORDS), errors


def test_a_message_given_to_a_field_itself_is_kept(falun_plan):
    with translation.override("en"):
        assert errors_of(GuidanceForm(), "text", "") == ["Write a few words of guidance."]


def test_a_too_long_title_is_refused_in_plain_swedish_beside_the_field(client_for, officer, procurement):
    from tests.plans.register.test_form_bounds import error_beside
    from tests.plans.register.test_procurement_pages import form_data, url

    response = client_for(officer).post(
        url("procurement_edit", procurement), form_data(procurement, title="x" * 412)
    )
    assert response.status_code == 200
    message = error_beside(response.content.decode(), "title")
    assert "412" in message and "300" in message
    assert not any(words in message for words in DJANGO_WORDS), message


@pytest.mark.parametrize(
    "msgid",
    [
        "Someone else saved this procurement while you were editing it. Nothing of yours was saved. "
        "Compare the two versions below; save again to replace theirs with yours.",
        "Someone else saved this goal while you were editing it. Nothing of yours was saved. "
        "Check the goal below; save again to replace theirs with yours.",
        "Someone changed the order while you were looking at it. Nothing of yours was saved.",
        "%(who)s %(what)s at %(when)s, while you were looking at the order. Nothing of yours was saved: "
        "see what the order is now.",
    ],
)
def test_nothing_of_yours_was_saved_reads_ingen_av_dina_andringar(msgid):
    with translation.override("sv"):
        swedish = translation.gettext(msgid)
    assert "Ingen av dina ändringar sparades" in swedish and "Inget av dina" not in swedish
