"""The generator on prose (issue 24): how-to and practice guides read as prose, each defect
seen on unseen articles kept as a regression case, and the quality gate's rejections.

Pure text, no database: quizzes.textgen is a set of pure functions.
"""

import pytest

from quizzes.textgen import (
    KINDS,
    MATCHING,
    SINGLE,
    TRUE_FALSE,
    ChapterText,
    chapter_sections,
    plan_course,
    term_forms,
)
from quizzes.textgen.gate import (
    false_statement_faults,
    item_faults,
    near_duplicates,
    stem_faults,
)
from quizzes.textgen.instructions import imperative, is_instruction, is_instruction_term
from quizzes.textgen.reading import logical_lines, running_definitions
from quizzes.textgen.statements import advice, chapter_statements, turn


def plan(body: str, *, title: str = "A Guide", kinds=KINDS):
    return plan_course(chapters=[ChapterText("1", title, body)], kinds=kinds)[0]


def all_stems(body: str) -> list[str]:
    return [item.stem for item in plan(body).items]


# --- words read as verbs that are not verbs ---------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Even if the team is small, a written process saves time.",
        "Open communication builds trust with the community.",
        "Like a checklist, a template keeps reviews consistent.",
        "Have you ever lost a day of work to a bad merge?",
        "Thank you for reporting the problem so clearly.",
    ],
)
def test_words_that_only_look_like_verbs_start_no_instruction(sentence):
    assert not is_instruction(sentence)
    assert imperative(sentence) is None


def test_a_leading_even_if_clause_moves_after_the_instruction():
    assert imperative("Even if the team is small, write the process down.") == (
        "writing the process down, even if the team is small"
    )


def test_coordinated_instructions_all_take_the_ing_form():
    assert imperative("Speak slowly, lower your voice, and use calming phrases.") == (
        "speaking slowly, lowering your voice, and using calming phrases."
    )
    # "further" is an adverb here: never "furthering escalate".
    converted = imperative(
        "Avoid assumptions, as they lead to misunderstandings and further escalate."
    )
    assert "furthering" not in converted


def test_names_built_from_a_noun_are_not_advice():
    assert not is_instruction_term("Chart Version")
    assert not is_instruction_term("Release")
    assert is_instruction_term("Stay Calm")
    assert is_instruction_term("Document the Interaction")


# --- passages ------------------------------------------------------------------------------


def test_a_bullet_wrapped_over_two_lines_is_one_item():
    lines = [
        "- **Keep each change small** enough that your",
        "  reviewer can read it in one sitting.",
        "- **Write a clear description** so that the",
        "  reviewer knows why.",
    ]
    assert logical_lines(lines) == [
        "- **Keep each change small** enough that your reviewer can read it in one sitting.",
        "- **Write a clear description** so that the reviewer knows why.",
    ]


def test_no_stem_is_cut_at_a_line_break():
    body = (
        "## Good habits\n\n"
        "- **Keep each change small** enough that your\n  reviewer can read it at once.\n"
        "  Small changes are reviewed faster and break less.\n"
        "- **Write a clear description** of the\n  change. Reviewers read it before the code.\n"
        "- **Test before you ask** for a\n  review. A failing build wastes the reviewer's time.\n"
        "- **Answer every comment** within a\n  day. Waiting reviewers lose the context.\n"
    )
    for stem in all_stems(body):
        assert not stem.rstrip("?").endswith((" your", " the", " a")), stem


def test_bold_leads_that_run_on_in_lower_case_are_steps():
    body = (
        "## Closing a request\n\n"
        "1. **Thank them** for their help. People who report bugs give their own time.\n"
        "2. **Close the request** politely. A curt close drives contributors away.\n"
        "3. **Link the fix** in the thread. Later readers find the answer at once.\n"
    )
    _, sections = chapter_sections(body)
    terms = [s.term for s in sections if s.shape == "bold"]
    assert terms == [
        "Thank them for their help",
        "Close the request politely",
        "Link the fix in the thread",
    ]


def test_example_lines_are_never_terms():
    body = (
        "## Commit messages\n\n"
        "- **Bad:** Fixed stuff.\n"
        "- **Good:** Fix the crash when the cache is empty.\n"
        "- **Example:** Add a retry to the upload.\n"
    )
    _, sections = chapter_sections(body)
    assert [s.term for s in sections if s.shape == "bold"] == []


def test_a_question_heading_is_kept_when_its_first_sentence_defines():
    body = (
        "## Why do teams need a style guide?\n\n"
        "A style guide is a document that records how the team writes, so that every page "
        "reads alike.\n"
    )
    _, sections = chapter_sections(body)
    assert [(s.term, s.shape) for s in sections] == [("style guide", "question")]


def test_definitions_inside_running_prose_are_found():
    found = running_definitions(
        "Every time you save, the tool keeps a copy. Each saved version is called a revision. "
        "Requests pass through servers in between; these intermediaries are generally called "
        "proxies."
    )
    assert [(term, what) for term, what, _ in found] == [
        ("revision", "Each saved version"),
        ("proxies", "these intermediaries"),
    ]


def test_a_running_definition_is_asked_by_what_it_names_and_a_pointer_is_skipped():
    body = (
        "## Saving work\n\nEach saved version of a file is called a revision. "
        "Sometimes these intermediaries are called proxies.\n\n"
        "## Branch\n\nA branch is a line of work that can be merged later.\n\n"
        "## Merge\n\nA merge is the joining of two lines of work into one.\n\n"
        "## Tag\n\nA tag is a fixed name given to one revision of the project.\n"
    )
    result = plan(body, kinds=(SINGLE,))
    stems = {item.term: item.stem for item in result.items if not item.variant}
    assert stems["revision"] == "Which term does the text use for each saved version of a file?"
    assert ("proxies", "what the term names is a pronoun pointing outside the stem") in (
        result.skipped
    )


def test_plural_and_singular_forms_name_the_term():
    assert "Issues" in term_forms("Issue")
    assert "Alert" in term_forms("Alerts")
    assert term_forms("Stay Calm")[:1] == ["Stay Calm"]


def test_paragraphs_that_open_with_advice_become_points():
    body = (
        "Listen actively to the customer's concerns. Show empathy by acknowledging their "
        "feelings.\n\n"
        "Address the issue directly and promptly. Take responsibility and work with the "
        "customer on a fix.\n\n"
        "Document the interaction thoroughly. Keep a record of the customer's concerns and "
        "the steps you took.\n\n"
        "Follow up with the customer afterwards. A short call shows that you care.\n"
    )
    _, sections = chapter_sections(body)
    assert [s.term for s in sections if s.shape == "advice"] == [
        "Listen actively to the customer's concerns",
        "Address the issue directly and promptly",
        "Document the interaction thoroughly",
        "Follow up with the customer afterwards",
    ]


# --- definitions that are not -------------------------------------------------------------


def test_a_rhetorical_question_and_a_remark_are_never_definitions():
    body = (
        "## Triage\n\nHave you ever wondered why issues pile up? Triage means the good news "
        "about a backlog is that most of it can wait.\n\n"
        "## Labels\n\nA label is a tag that sorts issues by kind.\n\n"
        "## Milestones\n\nA milestone is a set of issues due together.\n\n"
        "## Assignees\n\nAn assignee is the person who owns an issue.\n"
    )
    result = plan(body)
    assert not [item for item in result.items if item.term == "Triage"]
    # (A true/false statement may quote the remark as the text has it; no item may take it
    # for a definition.)
    for item in result.items:
        if item.variant != "flip":
            assert "having you ever" not in item.stem and "good news" not in item.stem


def test_matching_pairs_never_print_the_internal_word_gloss():
    body = "".join(
        f"### {term}\n\n{text}\n\n"
        for term, text in [
            ("Span", "A single operation within a trace, with a start and an end."),
            ("Trace", "The path of one request through the services that handle it."),
            ("Metric", "A measurement captured at run time, such as a count or a rate."),
            ("Exporter", "A component that sends collected data on to a backend for storage."),
        ]
    )
    matching = [item for item in plan(body).items if item.kind == MATCHING]
    assert matching
    for item in matching:
        for description, _term in item.options:
            assert not description.startswith("Gloss"), description


# --- the gate ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "fault"),
    [
        (
            "Which of the following involves Keeping each change small enough that your?",
            "the stem ends on 'your' before the question mark",
        ),
        (
            "Which of the following involves having you ever lost work? and more?",
            "the stem holds a question of its own (a rhetorical question)",
        ),
        ("Which term means: Gloss A thing that holds values?", "the stem shows a word of"),
        (
            "Which of the following consists of repeating back what they wrote?",
            "'they' points at nothing named in the stem",
        ),
        (
            "Which of the following involves acknowledging any mistakes and express regret for it?",
            "a list mixes -ing forms and a bare verb",
        ),
    ],
)
def test_the_gate_refuses_a_broken_stem_with_its_reason(stem, fault):
    assert any(reason.startswith(fault) for reason in stem_faults(stem)), stem_faults(stem)


def test_the_gate_passes_a_clean_stem():
    assert (
        stem_faults(
            "Which of the following techniques involves fully concentrating, understanding, "
            "responding, and remembering what the customer is saying?"
        )
        == []
    )


def test_near_duplicate_options_are_refused():
    assert near_duplicates("Apologize Sincerely", "Apologize When Necessary")
    assert near_duplicates("Stay Calm and Professional", "Stay Calm and Composed")
    assert near_duplicates("Listen Actively", "Active Listening")
    assert not near_duplicates("Chart", "Chart Archive")  # two glossary terms
    faults = item_faults(
        stem="Which of the following strategies involves saying sorry for the mistakes made?",
        key="Apologize Sincerely",
        distractors=["Apologize When Necessary", "Stay Calm", "Follow Up"],
    )
    assert "two options name one idea ('Apologize Sincerely', 'Apologize When Necessary')" in faults


def test_the_key_may_not_be_the_only_option_echoing_the_stem():
    faults = item_faults(
        stem="Which of the following means keeping a record of the conversation?",
        key="Record Keeping",
        distractors=["Empathy", "Patience", "Escalation"],
    )
    assert "the key is the only option sharing a word with the stem" in faults


def test_a_true_false_statement_is_false_only_from_a_clearly_different_sibling():
    # The case: keyed False, but the named technique says the same thing.
    assert false_statement_faults(
        key="Empathize",
        named="Acknowledge the Customer's Feelings",
        clause="acknowledging the customer's concerns and validating their feelings",
        named_passage="Acknowledge the customer's feelings and validate their concerns.",
    )
    assert false_statement_faults(
        key="Apologize Sincerely",
        named="Apologize When Necessary",
        clause="saying sorry",
        named_passage="",
    )
    assert not false_statement_faults(
        key="Empathy",
        named="Escalation Path",
        clause="the ability to share the feelings of another",
        named_passage="The agreed route for handing a case to a supervisor.",
    )


# --- the plan -----------------------------------------------------------------------------------

GUIDE = """
## Stay Calm

Stay composed when the customer raises their voice. This will help you think clearly and
answer the customer's concerns.

## Listen Actively

Let the customer finish before you answer. This builds trust and makes the customer feel heard.

## Ask Clarifying Questions

Ask open questions about the problem. Doing so prevents wrong assumptions about the cause.

## Offer Solutions

Suggest two or three ways to resolve the issue. This gives the customer a sense of control.
"""


def test_the_chapters_best_item_is_its_exercise_and_a_second_sentence_feeds_the_exam():
    result = plan(GUIDE, title="Four Strategies for Conflict", kinds=KINDS)
    exercises = [item for item in result.items if item.exercise]
    assert len(exercises) == 1 and exercises[0].kind == SINGLE
    by_term: dict[str, set[str]] = {}
    for item in result.items:
        if item.kind == SINGLE and item.variant != "not":
            by_term.setdefault(item.term, set()).add(item.clause)
    # Where a point has two single-choice items, they come from two different sentences.
    assert any(len(clauses) == 2 for clauses in by_term.values())
    stems = [item.stem for item in result.items]
    assert len(stems) == len(set(stems))


def test_a_reason_sentence_gives_a_why_item_keyed_to_the_advice():
    result = plan(GUIDE, title="Four Strategies for Conflict", kinds=(SINGLE,))
    stems = {item.stem: item.term for item in result.items}
    assert (
        stems[
            "Which of the following strategies helps you think clearly and answer the "
            "customer's concerns?"
        ]
        == "Stay Calm"
    )


def test_a_list_of_four_gets_a_not_one_of_item_from_another_chapter():
    other = "## Take a Short Break\n\nOffer the customer a pause of ten minutes before going on.\n"
    plans = plan_course(
        chapters=[
            ChapterText("1", "Four Strategies for Conflict", GUIDE),
            ChapterText("2", "Limits", other),
        ],
        kinds=(SINGLE,),
    )
    (item,) = [i for i in plans[0].items if i.variant == "not"]
    assert (
        item.stem
        == "Which of the following is NOT one of the strategies in “Four Strategies for Conflict”?"
    )
    assert dict(item.options)["Take a Short Break"] == 1
    assert sorted(t for t, v in item.options if v == 0) == sorted(
        {"Stay Calm", "Listen Actively", "Ask Clarifying Questions", "Offer Solutions"}
        & {t for t, _ in item.options}
    )


def test_true_false_items_never_name_a_near_synonym_as_false():
    for item in plan(GUIDE, kinds=(TRUE_FALSE,)).items:
        named = item.stem.split(" involves ")[0].split(" helps ")[0]
        if dict(item.options)["False"] == 1:
            assert not near_duplicates(named, item.term)


# --- statements turned true or false ------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "turned"),
    [
        (
            "You should explain how the code of conduct is enforced before a violation occurs.",
            "You should not explain how the code of conduct is enforced before a violation occurs.",
        ),
        (
            "A code of conduct is not a law that the maintainers enforce arbitrarily.",
            "A code of conduct is a law that the maintainers enforce arbitrarily.",
        ),
        (
            "Before you respond, give yourself time to understand what happened.",
            "After you respond, give yourself time to understand what happened.",
        ),
        (
            "Small changes are easier to review thoroughly than one large change.",
            "Small changes are harder to review thoroughly than one large change.",
        ),
        (
            "A shell is a text program for typing commands and running them.",
            "A shell is not a text program for typing commands and running them.",
        ),
    ],
)
def test_a_statement_is_turned_by_its_one_polar_word(sentence, turned):
    assert turn(sentence) == turned


@pytest.mark.parametrize(
    "sentence",
    [
        # A hedge turns into nothing clearly false.
        "Reviews are usually faster when the change is small and well described.",
        # A conditional claim: the condition, not the claim, would be denied.
        "If you determine that the behavior is not a violation, say so to the reporter.",
        # Two polar words: turning one leaves the sentence half true.
        "You should always answer within a day, and you should never guess.",
        # "not only ... but also".
        "Recovering the old version is only possible if you saved a copy of it.",
        # A purpose clause makes the turned sentence contradict itself.
        "You should add a usage of the API so that reviewers understand how it is used.",
        # Denying a predicate with a relative clause: is it the noun or the clause that is
        # denied ("is not a law that is enforced arbitrarily")?
        "A shell is a program that lets you type commands and run them.",
    ],
)
def test_a_statement_with_no_clear_opposite_is_not_turned(sentence):
    assert turn(sentence) is None


def test_statements_that_lean_on_the_text_around_them_are_not_asked():
    paragraphs = [
        (
            "a",
            "These guidelines mean that a CL should get several rounds of review in a day.",
            False,
        ),
        ("a", "They will thank you for your contribution and ask for smaller changes.", False),
        ("a", "A maintainer should explain how the code of conduct will be enforced.", False),
    ]
    assert [s.sentence for s in chapter_statements(paragraphs=paragraphs)] == [
        "A maintainer should explain how the code of conduct will be enforced."
    ]


def test_true_and_false_statements_are_balanced():
    body = "\n\n".join(
        [
            "A maintainer should explain the code of conduct before a report arrives.",
            "A reviewer should answer each request within one business day of receiving it.",
            "An author should split a large change into several small ones for review.",
            "A team should write down its decisions in a file that everyone can read.",
            "A code of conduct is a document that sets expectations for the participants.",
            "The review is a conversation between the author and the reviewer of a change.",
        ]
    )
    items = [i for i in plan(body, kinds=(TRUE_FALSE,)).items if i.variant == "flip"]
    keys = [dict(i.options)["True"] for i in items]
    assert items and abs(keys.count(1) - keys.count(0)) <= 1
    for item in items:
        if dict(item.options)["False"] == 1:
            assert item.stem != item.clause  # a false statement is the turned sentence


# --- what the chapter advises, as a claim -------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "true", "false"),
    [
        (
            "Wait for a break point before responding to a review.",
            "According to the course, you should wait for a break point before responding to a "
            "review.",
            "According to the course, you should not wait for a break point before responding to "
            "a review.",
        ),
        (
            "Don't interrupt yourself in the middle of a focused task.",
            "According to the course, you should not interrupt yourself in the middle of a "
            "focused task.",
            "According to the course, you should interrupt yourself in the middle of a "
            "focused task.",
        ),
        (
            "Before you respond, give yourself time to understand what happened.",
            "According to the course, before you respond, you should give yourself time to "
            "understand what happened.",
            "According to the course, before you respond, you should not give yourself time to "
            "understand what happened.",
        ),
    ],
)
def test_advice_becomes_a_claim_about_what_the_chapter_advises(sentence, true, false):
    assert advice(sentence) == (true, false)


@pytest.mark.parametrize(
    "sentence",
    [
        "We'll start by exploring how version control keeps track of changes.",
        "Version control systems start with a base version of the document.",
        "While a GUI presents you with choices, CLI choices are not presented to you.",
        "Take a deep breath, and try to stay focused on the problem at hand.",
        "Identify the root cause and work collaboratively with the customer.",
        "Be kind, but firm in your communication with the reporter.",
        "Wherever you can, use prior art from other projects.",
        "When somebody reports a violation, it is your, not their, job to handle it.",
    ],
)
def test_no_claim_is_made_from_a_statement_or_two_instructions(sentence):
    assert advice(sentence) is None
