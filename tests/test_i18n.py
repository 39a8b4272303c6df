"""Swedish is the default language and every string has its Swedish translation; English on request."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_swedish_translation():
    po = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_source():
    """A .po edited without compilemessages would show English to Swedish users."""
    po = polib.pofile(str(CATALOGUE))
    with translation.override("sv"):
        for entry in po.translated_entries():
            if entry.msgid_plural:
                assert translation.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr_plural[1]
            elif not entry.msgctxt:
                assert translation.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.mark.django_db
def test_pages_are_swedish_by_default_and_english_on_request(client):
    assert "Logga in" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Log in" in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_swedish_until_the_user_chooses(client):
    assert "Logga in" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
