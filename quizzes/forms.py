"""Turning a posted exercise form into a grading response.

The form speaks in per-learner names (quizzes.keys); the response speaks in stored choice
keys, which is what grading and the attempt record use.
"""

from django.http import QueryDict
from django.utils.translation import gettext as _

from .keys import form_key
from .models import Question
from .services.grading import parse_number

_MAX_TEXT = 500
_MAX_NUMBER = 100


class ResponseError(ValueError):
    """A posted answer that cannot be graded at all; the message is for the learner."""


def response_from_post(
    *, question: Question, data: QueryDict, seed: str, prefix: str = "", required: bool = True
) -> dict:
    """The grading response for one question of a posted form. ``prefix`` tells the fields
    of one question from another's on a page with several (the exam); with ``required``
    False an empty number is an unanswered question rather than an error."""
    choices = list(question.choices.all())

    def key(role: str, value: str) -> str:
        return form_key(seed=seed, question_id=question.pk, role=role, value=value)

    match question.qtype:
        case Question.Type.SHORT_ANSWER:
            return {"text": data.get(f"{prefix}text", "")[:_MAX_TEXT]}
        case Question.Type.NUMERICAL:
            number = data.get(f"{prefix}number", "").strip()
            if not number and not required:
                return {}
            if not number:
                raise ResponseError(_("Enter a number, such as 42 or 3.5."))
            if len(number) > _MAX_NUMBER or parse_number(number) is None:
                if not required:
                    return {}  # in the exam: not a number, so not a right answer
            if len(number) > _MAX_NUMBER:
                raise ResponseError(
                    _("Enter a number of at most %(count)d characters.") % {"count": _MAX_NUMBER}
                )
            if parse_number(number) is None:
                raise ResponseError(_("Enter a number, such as 42, -7 or 3.5."))
            return {"number": number}
        case Question.Type.MATCHING:
            answer_keys: dict[str, str] = {}
            for choice in choices:
                answer_keys.setdefault(key("answer", choice.match_text), choice.key)
            return {
                "matches": {
                    choice.key: answer_keys.get(
                        data.get(f"{prefix}match-{key('sub', choice.key)}", ""), ""
                    )
                    for choice in choices
                    if choice.text
                }
            }
    by_name = {key("choice", choice.key): choice.key for choice in choices}
    if question.qtype == Question.Type.MULTIPLE:
        names = data.getlist(f"{prefix}choice")[:50]
        return {"choices": [by_name[n] for n in names if n in by_name]}
    return {"choice": by_name.get(data.get(f"{prefix}choice", ""), "")}
