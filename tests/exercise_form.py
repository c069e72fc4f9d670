"""Reading an exercise form from the page, as a learner's browser does, to post an answer.

Tests answer through the markup the learner got: labels are what a person reads, names and
values are whatever the page says (opaque per-learner keys).
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from quizzes.keys import form_key, learner_seed


@dataclass
class ExerciseForm:
    # Radio buttons and checkboxes: label text -> (name, value), in page order.
    choices: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Matching: sub-question label -> (select name, {option text: value}).
    selects: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    # Every element's attributes, for the markup audits.
    inputs: list[dict[str, str]] = field(default_factory=list)
    options: list[dict[str, str]] = field(default_factory=list)

    def choose(self, *labels: str) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for label in labels:
            name, value = self.choices[label]
            data.setdefault(name, []).append(value)
        return data

    def match(self, pairs: dict[str, str]) -> dict[str, str]:
        data = {}
        for sub, answer in pairs.items():
            name, options = self.selects[sub]
            data[name] = options[answer]
        return data


class _Parser(HTMLParser):
    def __init__(self, question_id: int):
        super().__init__()
        self.target = f"exercise-{question_id}"
        self.depth = 0  # >0 while inside the question's card
        self.labels: dict[str, str] = {}
        self.label_for: str | None = None
        self.label_text: list[str] = []
        self.inputs: list[dict[str, str]] = []
        self.selects: list[tuple[dict[str, str], list[tuple[str, str]]]] = []
        self.option: dict[str, str] | None = None
        self.option_text: list[str] = []
        self.all_options: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if self.depth == 0:
            if attrs.get("id") == self.target:
                self.depth = 1
            return
        if tag == "div":
            self.depth += 1
        elif tag == "label":
            self.label_for, self.label_text = attrs.get("for"), []
        elif tag == "input" and attrs.get("type") in ("radio", "checkbox"):
            self.inputs.append(attrs)
        elif tag == "select":
            self.selects.append((attrs, []))
        elif tag == "option":
            self.option, self.option_text = attrs, []

    def handle_endtag(self, tag):
        if self.depth == 0:
            return
        if tag == "div":
            self.depth -= 1
        elif tag == "label" and self.label_for:
            self.labels[self.label_for] = " ".join("".join(self.label_text).split())
            self.label_for = None
        elif tag == "option" and self.option is not None:
            text = " ".join("".join(self.option_text).split())
            if self.option.get("value"):
                self.selects[-1][1].append((text, self.option["value"]))
                self.all_options.append(self.option)
            self.option = None

    def handle_data(self, data):
        if self.label_for is not None:
            self.label_text.append(data)
        if self.option is not None:
            self.option_text.append(data)


def exercise_form(html: str, question_id: int) -> ExerciseForm:
    parser = _Parser(question_id)
    parser.feed(html)
    form = ExerciseForm(inputs=parser.inputs, options=parser.all_options)
    for attrs in parser.inputs:
        form.choices[parser.labels[attrs["id"]]] = (attrs["name"], attrs["value"])
    for attrs, options in parser.selects:
        form.selects[parser.labels[attrs["id"]]] = (attrs["name"], dict(options))
    return form


def form_choice(question, text: str, learner) -> str:
    """The value this learner's page gives the choice labelled ``text`` (for tests that post
    without loading the page first, such as the concurrency tests)."""
    return form_key(
        seed=learner_seed(learner),
        question_id=question.pk,
        role="choice",
        value=question.choices.get(text=text).key,
    )
