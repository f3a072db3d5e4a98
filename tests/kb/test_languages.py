"""The language the site speaks: the member's choice, their city's, their browser's; a
switcher that keeps the page; notices and e-mails in the recipient's language."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.functional import lazy
from wagtail.users.models import UserProfile

from kb.directory import add_city, language_for, set_preferred_language
from kb.models import Notification
from kb.notifications import in_language_of, notify
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def from_city(settings):
    settings.KB_LANGUAGE_FROM_CITY = True


def _member(name="klara", city="Berlin", languages=("de", "en")):
    return make_member(name, add_city(city, "DE", list(languages))[0])


def test_an_anonymous_visitor_has_no_language_of_their_own():
    assert language_for(None, default="nl") == "nl"


def test_the_city_language_comes_before_the_browser(from_city):
    assert language_for(_member(), default="fr") == "de"


def test_a_city_language_the_interface_does_not_speak_falls_back_to_the_browser(from_city):
    member = _member("marco", "Milano", ("it", "en"))
    assert language_for(member, default="es") == "es"


def test_the_members_own_choice_comes_before_the_city(from_city):
    member = _member()
    set_preferred_language(member, "nl")
    assert language_for(member, default="fr") == "nl"


def test_without_city_languages_the_browser_decides():
    # Test settings turn the city's language off (KB_LANGUAGE_FROM_CITY = False).
    member = _member()
    client = Client()
    client.force_login(member)
    body = client.get("/lessons/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in body


def test_a_member_page_carries_the_city_language_in_html_lang(from_city):
    client = Client()
    client.force_login(_member())
    body = client.get("/lessons/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="de">' in body


def test_every_page_has_a_labelled_language_switcher_back_to_the_same_page():
    client = Client()
    client.force_login(_member())
    body = client.get("/lessons/?page=1").content.decode()
    assert 'action="/i18n/setlang/"' in body
    assert '<label for="language-switcher-select">' in body
    assert 'name="next" value="/lessons/?page=1"' in body
    assert 'lang="fr"' in body and ">français<" in body


def test_the_switcher_keeps_the_page_and_saves_the_members_choice():
    member = _member()
    client = Client()
    client.force_login(member)
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/lessons/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/lessons/?page=1"
    assert UserProfile.objects.get(user=member).preferred_language == "fr"
    body = client.get("/lessons/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr">' in body


def test_the_switcher_works_for_a_visitor_through_the_cookie():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/accounts/login/"})
    assert response["Location"] == "/accounts/login/"
    body = client.get("/accounts/login/").content.decode()
    assert '<html lang="nl">' in body


def test_the_switcher_refuses_a_language_the_site_does_not_speak():
    member = _member()
    client = Client()
    client.force_login(member)
    client.post("/i18n/setlang/", {"language": "it", "next": "/lessons/"})
    assert not UserProfile.objects.filter(user=member, preferred_language="it").exists()


def _active_language() -> str:
    return translation.get_language()


def test_a_notice_and_its_email_are_worded_in_the_recipients_language(
    django_capture_on_commit_callbacks,
):
    recipient = _member()
    set_preferred_language(recipient, "nl")
    worded = lazy(_active_language, str)()
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        notify(recipient, "test", worded, "/lessons/")
    assert Notification.objects.get(recipient=recipient).message == "nl"
    assert mail.outbox[0].body.startswith("nl\n")


def test_in_language_of_overrides_the_senders_language_then_restores_it(from_city):
    with translation.override("fr"):
        with in_language_of(_member()) as language:
            assert (language, translation.get_language()) == ("de", "de")
        assert translation.get_language() == "fr"


def test_the_api_keeps_slugs_and_labels_them_in_the_callers_accept_language():
    from wagtail.models import APIToken

    from kb.choices import Marking
    from tests.factories import make_debrief, make_lesson
    from tests.pseudo_locale import pseudo_locale

    member = _member()
    set_preferred_language(member, "nl")  # the API follows the request, not the profile
    debrief = make_debrief(member.memberships.get().city, marking=Marking.GREEN)
    lesson = make_lesson(debrief, phase="respond")
    token = APIToken.create_token(user=member, name="test")[1]
    with pseudo_locale():
        response = Client().get(
            f"/api/v1/lessons/{lesson.pk}",
            headers={"Authorization": f"Token {token}", "Accept-Language": "fr"},
        )
    body = response.json()
    assert response["Content-Language"] == "fr"
    assert body["attack_types"] == ["vehicle-ramming"]
    assert body["attack_type_labels"] == {"vehicle-ramming": "⟦Vehicle ramming⟧"}
    assert body["theme_labels"] == {"information-sharing": "⟦Information sharing⟧"}
    assert (body["phase"], body["phase_label"]) == ("respond", "⟦Respond⟧")
    assert body["recommendations"][0]["capability_element_label"] == "⟦Equipment⟧"


def test_a_lesson_page_dates_in_the_readers_format_and_names_the_language_in_theirs():
    from tests.factories import make_debrief, make_lesson
    from tests.pseudo_locale import pseudo_locale

    member = _member()
    set_preferred_language(member, "fr")
    debrief = make_debrief(member.memberships.get().city, date=datetime.date(2020, 1, 31))
    lesson = make_lesson(debrief, language="de")
    client = Client()
    client.force_login(member)
    body = client.get(lesson.url).content.decode()
    assert "31 janvier 2020" in body  # Django's French date format and month name
    with pseudo_locale():
        body = client.get(lesson.url).content.decode()
    assert "⟦Written in ⟦German⟧⟧" in body
