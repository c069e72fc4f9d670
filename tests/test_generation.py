"""Quiz items generated from '## Term' sections of chapters written in the ebook style."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse

from courses.models import Chapter, Course
from quizzes.models import Question
from quizzes.selectors import chapter_exercise
from quizzes.services import questions_generate, response_grade
from quizzes.services.generation import source_key
from quizzes.textgen import (
    SINGLE,
    ChapterText,
    Skip,
    chapter_sections,
    choose_distractors,
    collective_noun,
    plan_course,
    section_stem,
)
from tests.conftest import choice_key, make_question
from tests.exercise_form import form_choice

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "generation"
CHAPTERS = [
    ("calming", "Twelve Techniques for Calming an Angry Customer", "calming_techniques.md"),
    ("online", "Resolving Conflicts Online", "resolving_online.md"),
    ("counter", "Words at the Counter", "words_at_the_counter.md"),
]
ACTIVE_LISTENING_STEM = (
    "Which of the following conflict resolution techniques involves fully concentrating, "
    "understanding, responding, and remembering what the customer is saying?"
)


def add_chapter(course: Course, *, slug: str, title: str, body: str) -> Chapter:
    position = course.chapters.count() + 1
    return Chapter.objects.create(
        course=course, position=position, slug=slug, title=title, body_markdown=body
    )


@pytest.fixture
def course():
    # The course's own title names no kind of term, so each chapter speaks for itself.
    course = Course.objects.create(title="Calm at the Counter", slug="calm")
    for slug, title, name in CHAPTERS:
        add_chapter(course, slug=slug, title=title, body=(DATA / name).read_text())
    return course


def answer_of(question: Question) -> str:
    return question.choices.get(fraction=1).text


def generated(course: Course) -> dict[str, Question]:
    """Each point's first generated question by its answer (not the exam bank's second item
    from another sentence, nor a NOT-one-of item)."""
    questions = course.questions.filter(origin=Question.Origin.GENERATED).exclude(
        Q(source_key__contains=":v2:") | Q(source_key__contains=":vnot:")
    )
    return {answer_of(question): question for question in questions}


def test_active_listening_stem_names_what_it_involves(course):
    questions_generate(course=course, kinds=(SINGLE,))
    assert generated(course)["Active Listening"].stem_markdown == ACTIVE_LISTENING_STEM


def test_collective_noun_comes_from_the_chapter_title(course):
    questions_generate(course=course, kinds=(SINGLE,))
    assert generated(course)["Mirroring"].stem_markdown == (
        "Which of the following techniques means repeating the last few words the customer "
        "said, in a calm and curious tone?"
    )


def test_collective_noun_comes_from_the_course_when_the_chapter_names_none():
    noun = collective_noun(
        chapter_title="Words at the Counter",
        intro="Short phrases matter.",
        course_title="Strategies for De-Escalating Customer Situations",
        course_summary="",
    )
    assert noun == "strategies"


@pytest.mark.parametrize(
    ("text", "noun"),
    [
        (
            "24 Effective Conflict Resolution Techniques for Support",
            "conflict resolution techniques",
        ),
        ("Effective Strategies for Navigating Conflict Situations", "strategies"),
        (
            "We delve into 24 conflict resolution techniques that help.",
            "conflict resolution techniques",
        ),
    ],
)
def test_collective_noun_keeps_what_qualifies_the_kind(text, noun):
    assert (
        collective_noun(chapter_title=text, intro="", course_title="Customers", course_summary="")
        == noun
    )


def test_neutral_lead_when_nothing_names_the_kind(course):
    questions_generate(course=course, kinds=(SINGLE,))
    assert generated(course)["Acknowledgement"].stem_markdown == (
        "Which of the following means telling the customer you have understood the problem "
        "before you solve it?"
    )


def expected_stems() -> list[tuple[str, str]]:
    lines = (DATA / "expected_stems.tsv").read_text().splitlines()
    return [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize(("answer", "stem"), expected_stems())
def test_each_phrasing_of_a_definition_becomes_a_stem(course, answer, stem):
    questions_generate(course=course, kinds=(SINGLE,))
    assert generated(course)[answer].stem_markdown == stem


def test_it_is_as_a_figure_of_speech_is_not_a_definition():
    with pytest.raises(Skip, match="no sentence defines it"):
        section_stem(
            term="Apology Without Blame",
            paragraph="It is tempting to defend the company. Saying sorry calms most people.",
            noun="techniques",
        )


def test_sections_read_past_images_code_and_sub_headings():
    intro, sections = chapter_sections((DATA / "odd_structure.md").read_text())
    assert intro == "Intro with bold and a link."
    assert [(section.term, section.paragraph) for section in sections] == [
        ("Mirroring", "Mirroring means repeating the last few words the customer said."),
        ("Code Sample", "Code samples are short programs shown to the reader."),
        ("Empathy", "Empathy is the ability to share the feelings of another."),
    ]


def test_heading_that_carries_its_definition_after_a_colon():
    intro, sections = chapter_sections(
        "Strategies for calm.\n\n"
        "## 1. Listen Actively: Pay close attention to the customer's concerns.\n"
    )
    (section,) = sections
    assert (intro, section.term) == ("Strategies for calm.", "Listen Actively")
    # An instruction becomes what the strategy involves, in its -ing form.
    assert section_stem(term=section.term, paragraph=section.paragraph, noun="strategies") == (
        "Which of the following strategies involves paying close attention to the "
        "customer's concerns?"
    )


def test_instruction_heading_matches_its_gerund_across_apostrophes():
    stem = section_stem(
        term="Acknowledge the Customer’s Feelings",
        paragraph="Acknowledging the customer's feelings validates the whole experience.",
        noun="techniques",
    )
    assert stem == "Which of the following techniques validates the whole experience?"


def test_what_advice_can_do_is_no_stem():
    # "X can make the customer feel valued" is true of most advice (issue 24's judges).
    with pytest.raises(Skip):
        section_stem(
            term="Acknowledge the Customer’s Feelings",
            paragraph="Acknowledging the customer's feelings can validate the whole experience.",
            noun="techniques",
        )


def test_sentence_repeating_the_instruction_object_is_not_used():
    with pytest.raises(Skip, match="names the term"):
        section_stem(
            term="Use Positive Language",
            paragraph="Positive language is a way to keep positive language in every reply.",
            noun=None,
        )


def test_no_stem_contains_its_answer(course):
    report = questions_generate(course=course, kinds=(SINGLE,))
    assert len(report.created) == 20
    for question in report.created:
        answer = answer_of(question)
        assert answer.casefold() not in question.stem_markdown.casefold(), question.stem_markdown


def test_answer_is_the_term_and_grades_right(course):
    questions_generate(course=course, kinds=(SINGLE,))
    question = generated(course)["Active Listening"]
    right = response_grade(
        question=question, response={"choice": choice_key(question, "Active Listening")}
    )
    wrong_text = question.choices.exclude(fraction=1).first().text
    wrong = response_grade(question=question, response={"choice": choice_key(question, wrong_text)})
    assert (right.correct, wrong.correct) == (True, False)


def test_learner_answering_the_generated_exercise_is_congratulated(
    course, logged_in_client, learner
):
    questions_generate(course=course, kinds=(SINGLE,))
    question = Question.objects.get(chapter__slug="online", origin=Question.Origin.GENERATED)
    response = logged_in_client.post(
        reverse("learning:answer", args=[course.slug, "online"]),
        {"question": question.pk, "choice": form_choice(question, answer_of(question), learner)},
        follow=True,
    )
    assert "You are right! Congratulations, now go to the next page" in response.content.decode()


def test_each_item_offers_three_distinct_distractors(course):
    report = questions_generate(course=course, kinds=(SINGLE,))
    for question in report.created:
        texts = [choice.text for choice in question.choices.all()]
        assert question.qtype == Question.Type.SINGLE
        assert len(texts) == 4
        assert len({text.casefold() for text in texts}) == 4
        assert sorted(float(choice.fraction) for choice in question.choices.all()) == [0, 0, 0, 1]


def test_distractors_are_siblings_when_the_chapter_has_enough(course):
    questions_generate(course=course, kinds=(SINGLE,))
    calming = {
        "Lower Your Voice", "Mirroring", "Naming the Emotion", "Empathy Statement", "Time-Out",
        "Broken Record", "Apology Without Blame", "Offering Choices", "Summarising",
        "Setting Limits", "Follow-Up Call", "Thanking the Customer",
    }  # fmt: skip
    question = generated(course)["Mirroring"]
    assert {choice.text for choice in question.choices.all()} <= calming


def test_distractors_come_from_other_chapters_when_siblings_run_out(course):
    questions_generate(course=course, kinds=(SINGLE,))
    question = generated(course)["Ownership"]
    others = {choice.text for choice in question.choices.all()} - {
        "Ownership", "Acknowledgement", "Reassurance",
    }  # fmt: skip
    assert len(others) == 1


def test_distractors_and_their_order_are_the_same_on_a_fresh_run(course):
    def snapshot():
        return {
            question.source_key: (
                question.stem_markdown,
                [choice.text for choice in question.choices.order_by("position")],
            )
            for question in questions_generate(course=course, kinds=(SINGLE,)).created
        }

    first = snapshot()
    course.questions.all().delete()
    assert snapshot() == first


def test_distractor_choice_depends_on_the_seed():
    siblings = "Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliet Kilo".split()
    picks = {
        tuple(choose_distractors(answer="Alpha", siblings=siblings, others=[], seed=f"gen:{n}"))
        for n in range(5)
    }
    assert len(picks) > 1
    assert all(len(set(pick)) == 3 and "Alpha" not in pick for pick in picks)


def test_a_synonym_from_another_chapter_is_not_a_distractor():
    picks = choose_distractors(
        answer="Active Listening",
        siblings=["Empathy", "Patience"],
        others=["Listen Actively"],
        seed="gen:1:active-listening",
    )
    assert sorted(picks) == ["Empathy", "Patience"]


def test_sections_without_a_clean_stem_are_skipped_with_a_reason(course):
    report = questions_generate(course=course, kinds=(SINGLE,))
    reasons = {skip.heading: skip.reason for skip in report.skipped}
    assert set(reasons) == {
        "Apology Without Blame",
        "Summarising",
        "Conclusion",
        "Lower Your Voice",
        "Use Plain Words",
    }
    # "Use Plain Words can keep a tense chat ...": what advice *can* do is true of most advice.
    assert reasons["Use Plain Words"] == "every defining sentence names the term itself"
    # The one instruction among named techniques: its form would give it away.
    assert reasons["Lower Your Voice"] == "the key is the only option of its form (instruction)"
    assert reasons["Summarising"] == "every defining sentence names the term itself"
    assert reasons["Conclusion"] == "a framing heading, not a term"
    assert reasons["Apology Without Blame"].startswith("no sentence defines it")


def test_section_with_fewer_than_three_distractors_is_skipped():
    course = Course.objects.create(title="Tiny", slug="tiny")
    add_chapter(
        course,
        slug="three",
        title="Three Tips",
        body="## Mirroring\n\nMirroring means repeating the customer's last words.\n\n"
        "## Empathy\n\nEmpathy is the ability to share the feelings of another.\n\n"
        "## Patience\n\nPatience means letting the customer finish before you answer.\n",
    )
    report = questions_generate(course=course, kinds=(SINGLE,))
    assert report.created == []
    assert [skip.reason for skip in report.skipped] == [
        "only 2 other terms to offer as distractors (needs 3)"
    ] * 3


def test_second_run_creates_nothing(course):
    first = questions_generate(course=course, kinds=(SINGLE,))
    second = questions_generate(course=course, kinds=(SINGLE,))
    assert (len(second.created), second.existing) == (0, len(first.created))
    assert course.questions.count() == len(first.created)


def test_source_key_fits_the_column_for_a_long_heading(course):
    chapter = course.chapters.first()
    key = source_key(chapter=chapter, term="A Very Long Heading " * 10)
    assert len(key) <= 64
    assert key != source_key(chapter=chapter, term="A Very Long Heading " * 11)


def test_the_best_item_becomes_the_exercise_of_a_chapter_without_one(course):
    report = questions_generate(course=course, kinds=(SINGLE,))
    plans = plan_course(
        chapters=[
            ChapterText(str(ch.pk), ch.title, ch.body_markdown) for ch in course.chapters.all()
        ],
        course_title=course.title,
        course_summary=course.summary,
        kinds=(SINGLE,),
    )
    for chapter, plan in zip(course.chapters.all(), plans, strict=True):
        attached = [q for q in report.created if q.chapter_id == chapter.pk]
        best = [item.stem for item in plan.items if item.exercise]
        assert [q.stem_markdown for q in attached] == best
        assert len(best) == (1 if plan.items else 0)
    visible = chapter_exercise(chapter=course.chapters.get(slug="online"), learner=None, seed="s")
    assert [answer_of(item.question) for item in visible] == ["Patience"]


def test_chapter_with_a_published_exercise_keeps_it(course):
    calming = course.chapters.get(slug="calming")
    written = make_question(chapter=calming)
    questions_generate(course=course, kinds=(SINGLE,))
    assert list(Question.objects.filter(chapter=calming)) == [written]
    assert (
        course.questions.filter(chapter=None, category=f"Generated/{calming.title}").count() == 10
    )


def test_one_chapter_only(course):
    report = questions_generate(
        course=course, chapter=course.chapters.get(slug="counter"), kinds=(SINGLE,)
    )
    assert sorted(map(answer_of, report.created)) == ["Acknowledgement", "Ownership", "Reassurance"]
    # Its distractors still come from the whole course.
    assert course.questions.count() == 3


def test_chapter_of_another_course_is_refused(course):
    other = Course.objects.create(title="Other", slug="other")
    stray = add_chapter(other, slug="x", title="X", body="## A\n\nA is a thing.")
    with pytest.raises(ValueError, match="is not in course"):
        questions_generate(course=course, chapter=stray)


def test_command_prints_a_line_per_chapter_and_a_summary(course):
    out = StringIO()
    call_command("generate_questions", "calm", "--kinds", "single", stdout=out)
    first = "(the best single choice is the chapter's exercise)"
    lines = out.getvalue().splitlines()
    chapter_lines = [line for line in lines if not line.startswith("      skipped")]
    assert chapter_lines == [
        f"  1. {CHAPTERS[0][1]}: 13 sections seen; made 10 single; 0 already existed, "
        f"4 skipped {first}",
        f"  2. {CHAPTERS[1][1]}: 8 sections seen; made 7 single; 0 already existed, "
        f"1 skipped {first}",
        f"  3. {CHAPTERS[2][1]}: 3 sections seen; made 3 single; 0 already existed, "
        f"0 skipped {first}",
        "Generated 20 items for 'calm' (20 single; 0 already existed, 5 sections skipped)",
    ]
    # Every skipped section is listed with its reason, without asking for more verbosity.
    assert "      skipped 'Conclusion': a framing heading, not a term" in lines
    assert sum(line.startswith("      skipped") for line in lines) == 5


def test_command_twice_reports_everything_as_existing(course):
    call_command("generate_questions", "calm", "--kinds", "single", stdout=StringIO())
    out = StringIO()
    call_command("generate_questions", "calm", "--kinds", "single", stdout=out)
    assert (
        "  3. Words at the Counter: 3 sections seen; made 0 single; 3 already existed, 0 skipped"
        in out.getvalue()
    )
    assert out.getvalue().splitlines()[-1] == (
        "Generated 0 items for 'calm' (0 single; 20 already existed, 5 sections skipped)"
    )


def test_command_verbose_says_why_each_section_was_skipped(course):
    out = StringIO()
    call_command(
        "generate_questions",
        "calm",
        "--kinds",
        "single",
        "--chapter",
        "calming",
        verbosity=2,
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert "      skipped 'Summarising': every defining sentence names the term itself" in lines
    assert "      skipped 'Conclusion': a framing heading, not a term" in lines
    assert sum(line.startswith("      + [single] Which of the following") for line in lines) == 10


def test_command_draft_creates_drafts_learners_do_not_see(course):
    out = StringIO()
    call_command("generate_questions", "calm", "--kinds", "single", "--draft", stdout=out)
    statuses = set(course.questions.values_list("status", flat=True))
    assert statuses == {Question.Status.DRAFT}
    assert out.getvalue().splitlines()[-1].startswith("Generated 20 draft items for 'calm'")
    online = course.chapters.get(slug="online")
    assert chapter_exercise(chapter=online, learner=None, seed="s") == []


def test_default_status_is_published(course):
    questions_generate(course=course, kinds=(SINGLE,))
    assert set(course.questions.values_list("status", flat=True)) == {Question.Status.PUBLISHED}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "no course with slug 'nope'"),
        (["calm", "--chapter", "nope"], "course 'calm' has no chapter 'nope'"),
    ],
)
def test_command_refuses_unknown_course_or_chapter(course, args, message):
    with pytest.raises(CommandError, match=f"^{re.escape(message)}$"):
        call_command("generate_questions", *args, stdout=StringIO())
    assert not course.questions.exists()


# --- phrasings found in the demo course ------------------------------------------------


@pytest.mark.parametrize(
    ("term", "paragraph", "stem"),
    [
        (
            "Acknowledge the Customer's Feelings",
            "Acknowledging the customer’s feelings means naming the emotion you notice.",
            "Which of the following techniques means naming the emotion you notice?",
        ),
        (
            "Apologize Sincerely",
            "Apologising sincerely means expressing genuine regret without excuses.",
            "Which of the following techniques means expressing genuine regret without excuses?",
        ),
        (
            "De-escalation Techniques",
            "De-escalation techniques are deliberate ways of lowering the tension.",
            "Which of the following techniques are deliberate ways of lowering the tension?",
        ),
    ],
)
def test_apostrophes_british_spelling_and_plural_terms(term, paragraph, stem):
    assert section_stem(term=term, paragraph=paragraph, noun="techniques") == stem


def test_a_counted_noun_drops_its_count_words():
    noun = collective_noun(
        chapter_title="Trust online",
        intro="",
        course_title="Customer care",
        course_summary="Two dozen conflict resolution techniques for calm calls.",
    )
    assert noun == "conflict resolution techniques"
