"""Issue 11: every structure and every bad-item rule, with the issue's verbatim examples."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.models import Chapter, Course
from courses.services import course_import
from quizzes.formats import parse_file
from quizzes.models import BLANK, Question
from quizzes.services import questions_export, questions_generate, response_grade
from quizzes.services.generation import source_key
from quizzes.textgen import (
    BLANK as TEXTGEN_BLANK,
)
from quizzes.textgen import (
    KINDS,
    MATCHING,
    MISSING_WORD,
    SINGLE,
    TRUE_FALSE,
    ChapterText,
    Skip,
    chapter_sections,
    plan_course,
    section_stem,
)
from tests.exercise_form import form_choice

pytestmark = pytest.mark.django_db


def plan(body: str, *, title: str = "Glossary", kinds=(SINGLE,)):
    return plan_course(chapters=[ChapterText("1", title, body)], kinds=kinds)[0]


def stems(body: str, **kwargs) -> dict[str, str]:
    return {item.term: item.stem for item in plan(body, **kwargs).items}


GLOSSARY = """
### Access token
A token that is used in place of a password to call an API on a user's behalf.

### Aggregation
The process of combining multiple measurements into exact or estimated statistics.

### Span
A span represents a single operation within a trace, with a start and an end time.

#### Trace
A trace is the path of a request through an application, made of spans.

### Exporter
An exporter sends telemetry data to a backend such as a collector or a vendor.

### Refresh token
A token that an application keeps to obtain a new access token when one expires.
"""


def test_glossary_definitions_without_a_verb_are_asked_as_which_term_means():
    found = stems(GLOSSARY)
    assert found["Access token"] == (
        "Which term means: a token that is used in place of a password to call an API on a "
        "user's behalf?"
    )
    assert found["Aggregation"] == (
        "Which term means: the process of combining multiple measurements into exact or "
        "estimated statistics?"
    )


def test_terms_at_any_heading_level_are_read_and_grouped_by_parent():
    _, sections = chapter_sections(GLOSSARY)
    groups = {s.term: s.group for s in sections}
    assert groups["Access token"] == groups["Aggregation"] == groups["Exporter"]
    assert groups["Trace"] != groups["Span"]  # a level deeper, under "Span"
    assert "Trace" in stems(GLOSSARY + "\n### Metric\nA metric is a measurement over time.\n")


def test_bold_term_lists_are_read_in_both_spellings():
    body = (
        "## Threats\n\n"
        "1. **Phishing**: A fraudulent message that tricks people into revealing secrets.\n"
        "2. **Malware**: Software that is written to damage or take over a computer.\n"
        "- **Ransomware** — A kind of malware that locks files until a fee is paid.\n"
        "- **Spoofing** — A message that pretends to come from someone it does not.\n"
    )
    _, sections = chapter_sections(body)
    bold = [s for s in sections if s.shape == "bold"]
    assert [s.term for s in bold] == ["Phishing", "Malware", "Ransomware", "Spoofing"]
    assert len({s.group for s in bold}) == 1
    assert stems(body)["Phishing"] == (
        "Which of the following is a fraudulent message that tricks people into revealing secrets?"
    )


def test_question_headings_name_their_term():
    body = (
        "## What is a security policy?\n\nA security policy is a written set of rules for "
        "protecting an organisation's information.\n\n"
        "## What is a security procedure?\n\nA security procedure is a step-by-step way to "
        "carry out a security policy.\n\n"
        "## What is a firewall?\n\nA firewall is a system that filters network traffic by "
        "rules.\n\n"
        "## What is encryption?\n\nEncryption is the conversion of readable data into a code "
        "that only key holders can read.\n"
    )
    found = stems(body)
    assert found["security policy"] == (
        "Which of the following is a written set of rules for protecting an organisation's "
        "information?"
    )
    options = {t for item in plan(body).items for t, _ in item.options}
    assert not any(option.endswith("?") for option in options)  # never a heading as asked


def test_appositives_name_the_term():
    stem = section_stem(
        term="Defense in depth",
        paragraph="Defense in depth, also known as layered security, is the use of several "
        "independent controls so that one failure does not expose a system.",
        noun=None,
    )
    assert stem == (
        "Which of the following is the use of several independent controls so that one "
        "failure does not expose a system?"
    )


@pytest.mark.parametrize(
    ("term", "paragraph", "stem"),
    [
        (
            "Stay Composed",
            "Remain calm and composed, regardless of the customer's emotional state.",
            "Which of the following techniques involves remaining calm and composed, regardless "
            "of the customer's emotional state?",
        ),
        (
            "Plain Words",
            "Avoid jargon and technical language that might confuse the customer.",
            "Which of the following techniques involves avoiding jargon and technical language "
            "that might confuse the customer?",
        ),
        (
            "Listen Actively",
            "Listen Actively: Pay close attention to what the customer says.",
            "Which of the following techniques involves paying close attention to what the "
            "customer says?",
        ),
    ],
)
def test_instructions_take_their_ing_form(term, paragraph, stem):
    assert section_stem(term=term, paragraph=paragraph, noun="techniques") == stem


def test_a_one_word_verb_is_found_in_its_ing_form():
    stem = section_stem(
        term="Merge",
        paragraph="Merging takes the commits of one branch and adds them to another branch.",
        noun=None,
    )
    assert stem == (
        "Which of the following takes the commits of one branch and adds them to another branch?"
    )


def test_the_importers_numbered_heading_with_a_colon_is_a_definition():
    _, sections = chapter_sections("## 1. Listen Actively: Pay close attention to the caller.\n")
    assert sections[0].term == "Listen Actively"


@pytest.mark.parametrize(
    ("term", "paragraph"),
    [
        ("Patience", "Patience is essential when dealing with an upset customer."),
        ("main", "main is usually the default branch of a repository."),
        ("Kindness", "Kindness is one of the best ways to calm a customer."),
    ],
)
def test_side_remarks_are_not_definitions(term, paragraph):
    with pytest.raises(Skip):
        section_stem(term=term, paragraph=paragraph, noun=None)


def test_framing_headings_are_never_options():
    body = (
        "## Strategies for De-Escalating Customer Situations\n\nHere are some.\n\n"
        "## Mirroring\n\nMirroring means repeating the last words the customer said.\n\n"
        "## Naming\n\nNaming means saying out loud what the customer seems to feel.\n\n"
        "## Pausing\n\nPausing means waiting a moment before you answer a hard question.\n\n"
        "## Thanking\n\nThanking means telling the customer you value the feedback.\n\n"
        "## Conclusion\n\nThat is all.\n"
    )
    options = {text for item in plan(body).items for text, _ in item.options}
    assert options == {"Mirroring", "Naming", "Pausing", "Thanking"}


def test_the_answer_is_never_the_only_option_sharing_a_word_with_the_stem():
    body = (
        "### Deploy key\nAn SSH key that is stored on your server and grants access to one "
        "repository.\n\n"
        "### Personal access token\nA token that you create to use in place of a password.\n\n"
        "### OAuth app\nAn application that acts on behalf of a user after consent.\n\n"
        "### Webhook\nAn HTTP callback that fires when an event happens in a repository.\n"
    )
    for item in plan(body).items:
        words = set(re.findall(r"[a-z]+", item.stem.lower()))
        sharing = [t for t, _ in item.options if set(re.findall(r"[a-z]+", t.lower())) & words]
        assert sharing != [item.term], item.stem


def test_abbreviations_do_not_cut_sentences_and_keys_tell_at_signs_apart():
    stem = section_stem(
        term="Workspace",
        paragraph="A workspace is a shared place for a team's channels, e.g. Support and "
        "Sales, and their files.",
        noun=None,
    )
    assert stem.endswith("e.g. Support and Sales, and their files?")
    chapter = Chapter(pk=7)
    assert source_key(chapter=chapter, term="@mention") != source_key(
        chapter=chapter, term="mention"
    )


def test_by_ing_is_read_only_from_a_sentence_about_the_term():
    with pytest.raises(Skip):
        section_stem(
            term="Automation",
            paragraph="Teams grew fast. Most code was written by programming teams abroad.",
            noun=None,
        )


def test_a_dangling_pronoun_is_not_a_stem():
    with pytest.raises(Skip, match="pronoun"):
        section_stem(
            term="Patience",
            paragraph="Allow them to express their concerns without interruption.",
            noun="techniques",
        )


def test_one_definition_is_keyed_to_one_term_across_the_course():
    same = "means hearing the customer out before answering"
    chapters = [
        ChapterText("1", "One", f"## Listen Actively\n\nListening actively {same}.\n\n"
                    "## Empathy\n\nEmpathy is sharing the feelings of another.\n\n"
                    "## Patience\n\nPatience is the willingness to wait for the customer.\n\n"
                    "## Calm\n\nCalm is keeping a steady voice when the customer is angry.\n"),
        ChapterText("2", "Two", f"## Empathize\n\nEmpathizing {same}.\n\n"
                    "## Listen Actively\n\nListening actively means paying attention.\n"),
    ]  # fmt: skip
    plans = plan_course(chapters=chapters, kinds=(SINGLE,))
    keyed = {(item.stem, item.term) for p in plans for item in p.items}
    stems_seen = [stem for stem, _ in keyed]
    assert len(stems_seen) == len(set(stems_seen))
    assert "already asked earlier in the course" in dict(plans[1].skipped).values()
    for p in plans:
        for item in p.items:
            options = [t for t, _ in item.options]
            assert not ({"Empathy", "Empathize"} <= set(options))


FOUR = """## Mirroring
Mirroring means repeating the last few words the customer said.

## Naming the Emotion
Naming the emotion is about saying out loud what the customer seems to feel.

## Broken Record
The broken record technique involves calmly repeating the same clear offer.

## Time-Out
Time-out means offering the customer a short break when the talk goes in circles.

## Offering Choices
Offering choices involves presenting two or three acceptable options to pick from.
"""


def test_four_kinds_are_made_export_to_gift_and_grade_right(tmp_path):
    course = Course.objects.create(title="Calm", slug="calm")
    Chapter.objects.create(
        course=course, position=1, title="Five Techniques", slug="five", body_markdown=FOUR
    )
    report = questions_generate(course=course, kinds=KINDS)
    made = {q.qtype for q in report.created}
    assert made == {SINGLE, MATCHING, MISSING_WORD, TRUE_FALSE}
    assert TEXTGEN_BLANK == BLANK
    for question in report.created:
        choices = list(question.choices.all())
        if question.qtype == MATCHING:
            response = {"matches": {c.key: c.key for c in choices if c.text}}
            assert 4 <= len(choices) <= 6
        else:
            right = next(c for c in choices if c.fraction == 1)
            response = {"choice": right.key}
        assert response_grade(question=question, response=response).correct, question.stem_markdown
        if question.qtype == MISSING_WORD:
            assert question.stem_markdown.startswith(BLANK)
    exported = tmp_path / "calm.gift"
    exported.write_text(questions_export(course=course))
    assert len(parse_file(path=exported).questions) == len(report.created)


def test_kinds_are_chosen_per_run():
    course = Course.objects.create(title="Calm", slug="calm")
    Chapter.objects.create(
        course=course, position=1, title="Five Techniques", slug="five", body_markdown=FOUR
    )
    report = questions_generate(course=course, kinds=(TRUE_FALSE,))
    assert {q.qtype for q in report.created} == {TRUE_FALSE}
    out = StringIO()
    call_command("generate_questions", "calm", "--kinds", "matching,missingword", stdout=out)
    assert "made 1 matching, 5 missingword" in out.getvalue()


def test_a_wrong_answer_links_to_the_passage(client, learner):
    course = Course.objects.create(title="Calm", slug="calm")
    chapter = Chapter.objects.create(
        course=course, position=1, title="Five Techniques", slug="five", body_markdown=FOUR
    )
    questions_generate(course=course, kinds=(SINGLE,))
    question = Question.objects.get(chapter=chapter)
    wrong = question.choices.exclude(fraction=1).first().text
    client.force_login(learner)
    html = client.post(
        reverse("learning:answer", args=[course.slug, chapter.slug]),
        {"question": question.pk, "choice": form_choice(question, wrong, learner)},
        follow=True,
    ).content.decode()
    assert "You missed! Try again." in html
    anchor = question.source_anchor
    assert anchor.startswith("s-") and f'href="/courses/calm/five/#{anchor}"' in html
    assert f'id="{anchor}"' in html  # the heading on the page carries it


def test_a_changed_passage_sends_its_items_back_to_draft(tmp_path):
    folder = tmp_path / "calm"
    folder.mkdir()
    (folder / "01-five.md").write_text("# Five Techniques\n\n" + FOUR)
    course = course_import(path=folder).course
    questions_generate(course=course, kinds=(SINGLE,))
    assert set(course.questions.values_list("status", flat=True)) == {"published"}
    (folder / "01-five.md").write_text(
        "# Five Techniques\n\n"
        + FOUR.replace("repeating the last few words", "echoing the final words")
    )
    out = StringIO()
    call_command("import_course", str(folder), stdout=out)
    mirroring = Question.objects.get(source_term="Mirroring")
    assert mirroring.status == "draft"
    assert "generated question on 'Mirroring' moved to draft: its passage changed" in out.getvalue()
    assert Question.objects.filter(status="published").count() == 4


def test_front_matter_is_read_as_yaml(tmp_path):
    folder = tmp_path / "yaml"
    folder.mkdir()
    (folder / "01.md").write_text(
        '---\ntitle: "Calm: a guide"\ndescription: >\n  A long description\n  on two lines.\n'
        "tags:\n  - calm\n  - service\n---\n\nBody text here.\n"
    )
    (folder / "02.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n")
    with pytest.raises(Exception, match=r"02.md line \d+: front matter is not valid YAML"):
        course_import(path=folder)
    (folder / "02.md").unlink()
    course = course_import(path=folder).course
    assert course.chapters.get().title == "Calm: a guide"


def test_the_command_says_why_a_chapter_gave_nothing():
    course = Course.objects.create(title="Plain", slug="plain")
    Chapter.objects.create(
        course=course, position=1, title="Prose", slug="prose", body_markdown="Just prose.\n"
    )
    out = StringIO()
    call_command("generate_questions", "plain", stdout=out)
    assert "nothing recognised: no headings, bold-term lists" in out.getvalue()


def test_the_evaluation_set_is_kept_with_its_sources():
    folder = Path(__file__).parent / "data" / "generation" / "eval"
    documents = sorted(p for p in folder.glob("*.md") if p.name != "SOURCES.md")
    assert len(documents) >= 6
    sources = (folder / "SOURCES.md").read_text()
    for document in documents:
        assert document.name in sources
        assert document.with_suffix(".answers.json").exists()


def test_an_unchanged_reimport_keeps_every_kind_of_item_published(tmp_path):
    # Statements, NOT-one-of items and second-sentence items keep passages of their own:
    # re-importing the same text must not send them to draft.
    folder = tmp_path / "calm"
    folder.mkdir()
    text = (
        "# Five Techniques\n\n" + FOUR + "\nA calm agent should repeat the offer before "
        "raising the voice.\n\nA complaint is not a personal attack on the agent.\n"
    )
    (folder / "01-five.md").write_text(text)
    (folder / "02-more.md").write_text(
        "# More\n\n## Escalation Path\n\nThe escalation path means the route to a supervisor.\n"
    )
    course = course_import(path=folder).course
    report = questions_generate(course=course)
    assert {q.source_key.split(":")[2] for q in report.created} >= {"truefalse", "vnot"}
    call_command("import_course", str(folder), stdout=StringIO())
    (folder / "01-five.md").write_text(text + "\n")  # rewritten, same words
    call_command("import_course", str(folder), stdout=StringIO())
    assert set(course.questions.values_list("status", flat=True)) == {"published"}
