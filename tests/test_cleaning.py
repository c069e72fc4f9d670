"""The scraped-article cleaner: every junk rule has a case here, and cases cover every rule."""

from pathlib import Path

import pytest

from courses.cleaning import RULES, TITLE_RULES, clean_article

DATA = Path(__file__).parent / "data" / "articles"

ARTICLE = (
    "A Short Title\n\nThe first paragraph says something useful about customers.\n\n"
    "{junk}\n\nThe last paragraph is worth keeping as well.\n"
)

# rule name -> (junk text that the rule removes, a phrase of it that must be gone)
JUNK = {
    "embedded exercise": (
        "Now answer the exercise about the content:\n\nWhich habit helps?\n\nOption A\n\n"
        "You are right! Congratulations, now go to the next page\n\nYou missed! Try again.",
        "Which habit helps",
    ),
    "exercise verdict": (
        "You are right! Congratulations, now go to the next page",
        "Congratulations",
    ),
    "article image caption": ("Article image Writing Replies That Calm", "Article image"),
    "next page teaser": (
        "Next page of the Free Ebook:\n\n12Writing Replies That Calm\n\n4 minutes",
        "Writing Replies",
    ),
    "certificate advert": (
        "Obtenez votre certificat gratuitement en téléchargeant l'application.",
        "certificat",
    ),
    "cursa advert": ("Baixe o Cursa e leia o ebook.", "Cursa"),
    "app store footer": (
        "Get it on Google Play Get it on App Store\n\n+ 2 million\n\nreaders",
        "million",
    ),
    "back to top": ("Back to top button", "Back to top"),
    "document details": ("Document Details\nTags\nFull Transcript\nnull", "Document Details"),
    "uploaded by": ("Uploaded by FLF", "Uploaded"),
    "document summary": ("Summary\nA summary the document site wrote for itself.", "site wrote"),
    "cut-off preview": (
        "The last paragraph is worth keep...",
        "keep...",
    ),
}


def test_every_rule_has_a_case_here():
    assert {rule.name for rule in RULES} == set(JUNK)


@pytest.mark.parametrize("name", sorted(JUNK))
def test_rule_removes_its_junk_and_keeps_the_article(name):
    junk, phrase = JUNK[name]
    cleaned = clean_article(ARTICLE.format(junk=junk))
    assert phrase not in cleaned.markdown
    assert "The first paragraph says something useful" in cleaned.markdown
    if name != "app store footer":  # the store badges end the article: the rest is footer
        assert "The last paragraph is worth keeping as well." in cleaned.markdown
    assert cleaned.dropped.get(name), cleaned.dropped


def test_certificate_adverts_are_recognised_in_several_languages():
    for advert in (
        "Get your certificate for this course for free by downloading the app.",
        "Obtén tu certificado gratis descargando la aplicación.",
        "Ottieni il tuo certificato gratuito scaricando l'applicazione dal Google Play.",
        "Hol dir dein Zertifikat in der App.",
    ):
        assert "ertifi" not in clean_article(ARTICLE.format(junk=advert)).markdown, advert


def test_a_sentence_about_certificates_without_an_app_is_kept():
    text = "Training staff for a certificate in customer care pays off quickly."
    assert text in clean_article(ARTICLE.format(junk=text)).markdown


def test_numbered_lines_become_headings():
    cleaned = clean_article(
        "Title\n\n1. Active Listening\n\nActive listening involves attention.\n"
    )
    assert cleaned.markdown == "## Active Listening\n\nActive listening involves attention.\n"


def test_numbered_term_with_colon_becomes_heading_and_paragraph():
    cleaned = clean_article("Title\n1. Listen Actively: Pay close attention to the caller.\n")
    assert cleaned.markdown == "## Listen Actively\n\nPay close attention to the caller.\n"


def test_short_title_lines_before_longer_text_become_headings():
    cleaned = clean_article(
        "Title\nWhy Calm Matters\nCalm agents solve problems faster than upset ones.\n"
    )
    assert cleaned.markdown.startswith("## Why Calm Matters\n")


def test_numbered_sentence_stays_text():
    cleaned = clean_article("Title\n\n1. This is a whole sentence, not a heading.\n")
    assert "##" not in cleaned.markdown
    assert "\\1. This is a whole sentence" in cleaned.markdown  # not a Markdown list either


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("Keeping Your Head_2", "Keeping Your Head"),
        ("Keeping Records of Difficult Calls PDF Guide", "Keeping Records of Difficult Calls"),
        ("Strategies for Calm- A Short Guide", "Strategies for Calm: A Short Guide"),
    ],
)
def test_title_rules(first_line, title):
    assert clean_article(f"{first_line}\nSome body text for the chapter.\n").title == title


def test_every_title_rule_is_exercised_above():
    assert {rule.name for rule in TITLE_RULES} == {"copy suffix", "download label", "dash subtitle"}


def test_breadcrumb_above_the_title_is_dropped():
    cleaned = clean_article("Guides\n\nThe Real Title\n\nBody text of the article.\n")
    assert cleaned.title == "The Real Title"
    assert "Guides" not in cleaned.markdown


def test_article_that_starts_with_its_intro_is_titled_by_the_first_sentence():
    intro = (
        "In a busy support queue, small habits decide the mood of every call. "
        "This article lists a few of them."
    )
    cleaned = clean_article(intro + "\n\n1. Breathe\n\nBreathing slows you down.\n")
    assert cleaned.title == "In a busy support queue, small habits decide the mood of every call"
    assert cleaned.markdown.startswith(intro)


def test_scraped_sample_article_is_clean():
    cleaned = clean_article((DATA / "course" / "01-calm.txt").read_text())
    assert cleaned.title == "Keeping Your Head When a Customer Loses Theirs"
    assert cleaned.markdown.count("## ") == 3
    for junk in (
        "Guides",
        "Now answer",
        "You missed",
        "Next page",
        "Google Play",
        "certificato",
        "million",
    ):
        assert junk not in cleaned.markdown
    assert cleaned.markdown.rstrip().endswith("wondering what happens now.")


def test_document_site_sample_keeps_only_the_transcript():
    cleaned = clean_article((DATA / "course" / "03-records.txt").read_text())
    assert cleaned.title == "Keeping Records of Difficult Calls"
    assert cleaned.markdown == (
        "Keeping Records of Difficult Calls: Notes made during a call save time on the next "
        "one. Write down what was promised and when.\n"
    )


def test_nothing_left_gives_an_empty_body():
    assert clean_article((DATA / "only_junk.txt").read_text()).markdown == ""
