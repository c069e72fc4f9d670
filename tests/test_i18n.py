"""The learner's language (issue 15): catalogues complete, every template string marked, the
language chosen by the learner's saved preference, else Accept-Language, else the default;
the ebook wording, verdicts, PDF and verify page in each language; right-to-left names."""

import datetime
import html
import io
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from certificates.credentials import credential_build
from certificates.models import Certificate
from courses.models import Course
from learning.services import chapter_finish
from tests.conftest import make_course, make_question, make_user
from tests.exercise_form import form_choice

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)

# The ebook's own wording in each language, and how a page says "5 minutes".
WORDING = {
    "pt-br": {
        "exercise": "Agora responda o exercício sobre o conteúdo:",
        "right": "Você acertou! Parabéns, agora vá para a próxima página",
        "wrong": "Você errou! Tente novamente.",
        "next": "Próxima página: 2 Chapter 2, 5 minutos",
        "minutes": "5 minutos",
        "certificate": "Certificado de Conclusão",
    },
    "es": {
        "exercise": "Ahora responde el ejercicio sobre el contenido:",
        "right": "¡Tienes razón! Felicitaciones, ahora ve a la página siguiente",
        "wrong": "¡Fallaste! Inténtalo de nuevo.",
        "next": "Página siguiente: 2 Chapter 2, 5 minutos",
        "minutes": "5 minutos",
        "certificate": "Certificado de finalización",
    },
    "fr": {
        "exercise": "Répondez maintenant à l'exercice sur le contenu :",
        "right": "Vous avez raison ! Félicitations, passez maintenant à la page suivante",
        "wrong": "Vous avez raté ! Réessayez.",
        "next": "Page suivante : 2 Chapter 2, 5 minutes",
        "minutes": "5 minutes",
        "certificate": "Certificat de réussite",
    },
    "en": {
        "exercise": "Now answer the exercise about the content:",
        "right": "You are right! Congratulations, now go to the next page",
        "wrong": "You missed! Try again.",
        "next": "Next page: 2 Chapter 2, 5 minutes",
        "minutes": "5 minutes",
        "certificate": "Certificate of Completion",
    },
}


def _text(page: str) -> str:
    """What a reader sees: tags gone, entities decoded, spaces joined."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


# --- catalogues and marking ----------------------------------------------------------


def test_the_catalogues_are_complete_and_up_to_date():
    """makemessages into a copy of the tree finds exactly the committed entries, and
    msgfmt finds nothing fuzzy or untranslated in pt_BR, es and fr."""
    call_command("catalogues", "--check", stdout=io.StringIO())


# Words that are the same in every language: the brand, and a file format.
_SAME_EVERYWHERE = {"Chapterwise", "CSV"}
_TRANSLATED = re.compile(
    r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}"
    r"|{%\s*translate\s.*?%}|{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}",
    re.S,
)
_TEMPLATE_CODE = re.compile(r"{{.*?}}|{%.*?%}", re.S)
_VISIBLE_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "value"}
_WORD = re.compile(r"[^\W\d_]{2,}")


class _Visible(HTMLParser):
    """The words a reader sees or hears: text, and the attributes read aloud or shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in _VISIBLE_ATTRIBUTES and value and not (name == "value" and tag != "button"):
                self.words += _WORD.findall(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.words += _WORD.findall(data)


def unmarked_words(source: str) -> list[str]:
    """Words of a template's source that no translate tag covers."""
    code_free = _TEMPLATE_CODE.sub(" ", _TRANSLATED.sub(" ", source))
    parser = _Visible()
    parser.feed(code_free)
    parser.close()
    return [word for word in parser.words if word not in _SAME_EVERYWHERE]


def _our_templates() -> list[Path]:
    """Every template of ours, the admin's screens included."""
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_every_template_string_is_marked_for_translation():
    templates = _our_templates()
    assert len(templates) > 35
    found = []
    for path in templates:
        words = unmarked_words(path.read_text(encoding="utf-8"))
        if words:
            found.append(f"{path.relative_to(ROOT)}: {' '.join(words)[:100]}")
    assert not found, "\n".join(found)


def test_the_marking_check_finds_an_unmarked_string():
    source = (
        '{% load i18n %}<p title="Hello there" class="x">{% translate "Fine" %} Not fine '
        "{{ course.title }}</p><a aria-label=\"{% translate 'Main' %}\">Chapterwise</a>"
        "<script>var ignored = 1;</script>"
    )
    assert unmarked_words(source) == ["Hello", "there", "Not", "fine"]


# --- which language ------------------------------------------------------------------


@pytest.fixture
def course():
    course = make_course(chapters=2, words=1000)  # 5 minutes a chapter
    for chapter in course.chapters.all():
        make_question(chapter=chapter)
    return course


def test_the_browser_language_is_used_and_html_lang_says_so(client, course):
    page = client.get(course.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    html = page.content.decode()
    assert '<html lang="fr" ' in html
    assert page["Content-Language"] == "fr"
    assert "Chapitres" in _text(html) or "chapitres" in _text(html)
    english = client.get(course.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de-DE")
    assert '<html lang="en" ' in english.content.decode()  # unknown: the site's default


def test_visitors_get_each_language_from_the_page_cache(client, course):
    chapter = course.chapters.get(position=1)
    for language in ("pt-br", "es", "fr", "en"):
        for _ in range(2):  # the second comes from the visitors' cache
            html = client.get(chapter.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
            assert WORDING[language]["exercise"] in _text(html.content.decode()), language


def test_the_footer_switcher_works_without_javascript(client, course):
    chapter = course.chapters.get(position=1)
    html = client.get(chapter.get_absolute_url()).content.decode()
    link = re.search(r'href="([^"]*language=es[^"]*)"', html).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == chapter.get_absolute_url()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    spanish = client.get(chapter.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="es" ' in spanish.content.decode()  # the choice beats the browser
    assert WORDING["es"]["exercise"] in _text(spanish.content.decode())


def test_the_switcher_refuses_unknown_languages_and_foreign_next_urls(client):
    response = client.get(
        reverse("language_set"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_learners_saved_language_follows_them_to_every_device(course):
    learner = make_user()
    laptop, phone = Client(enforce_csrf_checks=True), Client()
    laptop.force_login(learner)
    phone.force_login(learner)
    chapter = course.chapters.get(position=1)
    page = laptop.get(chapter.get_absolute_url()).content.decode()
    # Signed in, the footer is a form of buttons (no JavaScript), with the page's token.
    form = page.split('action="/accounts/language/"')[1].split("</form>")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert 'name="language" value="pt-br"' in form
    response = laptop.post(
        reverse("language_set"),
        {"language": "pt-br", "next": chapter.get_absolute_url(), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and response["Location"] == chapter.get_absolute_url()
    learner.refresh_from_db()
    assert learner.language == "pt-br"
    html = phone.get(course.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="pt-br" ' in html  # no cookie on the phone: the account decides


def test_a_link_never_changes_the_account_and_a_post_needs_the_token(course):
    learner = make_user(language="es")
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get(reverse("language_set"), {"language": "fr", "next": "/"})  # any site's link
    assert client.post(reverse("language_set"), {"language": "fr"}).status_code == 403
    learner.refresh_from_db()
    assert learner.language == "es"


# --- the ebook wording in every language ---------------------------------------------


@pytest.mark.parametrize("language", ["pt-br", "es", "fr", "en"])
def test_chapter_page_and_verdicts_in_each_language(course, language):
    learner = make_user(language=language)
    client = Client()
    client.force_login(learner)
    chapter = course.chapters.get(position=1)
    question = chapter.questions.get()
    answer_url = reverse("learning:answer", args=[course.slug, chapter.slug])
    words = WORDING[language]
    page = _text(client.get(chapter.get_absolute_url()).content.decode())
    assert words["exercise"] in page
    assert words["minutes"] in page
    assert words["next"] in page
    wrong = form_choice(question, "Raising your voice", learner)
    client.post(answer_url, {"question": question.pk, "choice": wrong})
    assert words["wrong"] in _text(client.get(chapter.get_absolute_url()).content.decode())
    right = form_choice(question, "Active listening", learner)
    client.post(answer_url, {"question": question.pk, "choice": right})
    after = _text(client.get(chapter.get_absolute_url()).content.decode())
    assert words["right"] in after and words["next"] in after


def test_content_carries_the_courses_own_language(client, course):
    Course.objects.filter(pk=course.pk).update(language="pt-br")
    chapter = course.chapters.get(position=1)
    html = client.get(chapter.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en" ' in html
    assert '<article class="chapter" lang="pt-br">' in html
    assert f'id="stem-{chapter.questions.get().pk}" lang="pt-br"' in html


def test_the_catalogue_filters_by_course_language(client):
    make_course(title="Atendimento ao cliente", slug="atendimento")
    Course.objects.filter(slug="atendimento").update(language="pt-br")
    make_course(title="Customer care", slug="customer-care")
    everything = client.get(reverse("learning:catalogue")).content.decode()
    assert "Atendimento ao cliente" in everything and "Customer care" in everything
    assert 'hreflang="pt-br"' in everything  # the filter offers the languages in use
    only = client.get(reverse("learning:catalogue"), {"language": "pt-br"}).content.decode()
    assert "Atendimento ao cliente" in only and "Customer care" not in only
    assert 'lang="pt-br"' in only


def test_the_course_language_comes_from_course_yaml(tmp_path):
    folder = tmp_path / "curso"
    folder.mkdir()
    (folder / "01-um.md").write_text("# Um\n\nTexto do capítulo.\n", encoding="utf-8")
    (folder / "course.yaml").write_text("language: pt-br\n", encoding="utf-8")
    call_command("import_course", str(folder), stdout=io.StringIO())
    assert Course.objects.get(slug="curso").language == "pt-br"


# --- certificates --------------------------------------------------------------------


def _issue(language: str, name: str = "Zoë Łukasiewicz") -> tuple[Certificate, Client]:
    course = make_course(chapters=1, words=1000, title="Handling Customer Conflict")
    learner = make_user(full_name=name, language=language)
    client = Client()
    client.force_login(learner)
    chapter = course.chapters.get()
    client.post(reverse("learning:chapter_done", args=[course.slug, chapter.slug]))
    return Certificate.objects.get(learner=learner), client


def _pdf_text(client, certificate) -> str:
    response = client.get(reverse("certificates:pdf", args=[certificate.display_code]))
    data = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    ("language", "date"),
    [
        # Brazilian Portuguese writes month names in lowercase in a date, where Django's
        # catalogue capitalises them (core/month_names.py).
        ("pt-br", "1 de dezembro de 2026"),
        ("es", "1 de diciembre de 2026"),
        ("fr", "1 décembre 2026"),
        ("en", "1 December 2026"),
    ],
)
def test_the_certificate_speaks_the_language_it_was_issued_in(client, language, date):
    certificate, owner = _issue(language)
    assert certificate.language == language
    # A fixed completion date, printed again: the expected words do not depend on today.
    Certificate.objects.filter(pk=certificate.pk).update(
        completed_on=datetime.date(2026, 12, 1), pdf="", pdf_fingerprint=""
    )
    certificate.refresh_from_db()
    text = _pdf_text(owner, certificate)
    assert WORDING[language]["certificate"] in text
    assert date in text.replace("\n", " ")
    # The learner switches language later: a reprint and the verify page do not change.
    User.objects.filter(pk=certificate.learner_id).update(
        language="en" if language != "en" else "fr"
    )
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_fingerprint="")
    certificate.refresh_from_db()
    assert WORDING[language]["certificate"] in _pdf_text(owner, certificate)
    verify = client.get(
        reverse("certificates:verify", args=[certificate.display_code]),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert verify["Content-Language"] == language
    assert f'<html lang="{language}" ' in verify.content.decode()
    assert date in _text(verify.content.decode())


def test_the_credential_carries_the_language(client):
    certificate, _ = _issue("pt-br")
    payload = credential_build(certificate=certificate)
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["inLanguage"] == "pt-BR"
    assert achievement["description"] == "Concluiu o curso “Handling Customer Conflict”."


@pytest.mark.parametrize(
    "name",
    ["محمد عبد الله", "علاء حسن", "שרה כהן", "مُحَمَّد"],
    ids=["arabic", "lam-alef", "hebrew", "harakat"],
)
def test_right_to_left_names_are_shaped_and_ordered_on_the_pdf(name):
    certificate, owner = _issue("en", name=name)
    raw = _pdf_text(owner, certificate)
    assert name in unicodedata.normalize("NFKC", raw)  # logical order, letters back from forms
    if any("\u0600" <= char <= "\u06ff" for char in name):
        assert any("\ufe70" <= char <= "\ufeff" for char in raw)  # joined forms, not isolated


def test_a_mixed_name_keeps_latin_and_arabic_runs_in_order():
    certificate, owner = _issue("en", name="Zoë محمد 2026")
    text = unicodedata.normalize("NFKC", _pdf_text(owner, certificate))
    assert "Zoë 2026 محمد" in text  # what the Unicode bidi algorithm (and a browser) shows


@pytest.mark.parametrize(
    ("language", "issued", "waiting"),
    [
        ("pt-br", "Seu certificado de Calm Calls", "Seu certificado de Calm Calls está aguardando"),
        ("es", "Tu certificado de Calm Calls", "Tu certificado de Calm Calls está esperando"),
        ("fr", "Votre certificat pour Calm Calls", "Votre certificat pour Calm Calls n'attend"),
    ],
)
def test_emails_speak_the_learners_language(
    language, issued, waiting, django_capture_on_commit_callbacks
):
    course = make_course(chapters=1, title="Calm Calls")
    named = make_user(email="grace@example.org", full_name="Grace Hopper", language=language)
    anonymous = make_user(email="anon@example.org", full_name="", language=language)
    with django_capture_on_commit_callbacks(execute=True):
        for learner in (named, anonymous):
            chapter_finish(learner=learner, chapter=course.chapters.get())
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["grace@example.org"] == issued
    assert subjects["anon@example.org"].startswith(waiting)
