"""Turning a posted exercise form into a grading response."""

from django.http import QueryDict

from .models import Question

_MAX_TEXT = 500


def response_from_post(*, question: Question, data: QueryDict) -> dict:
    match question.qtype:
        case Question.Type.MULTIPLE:
            return {"choices": data.getlist("choice")[:50]}
        case Question.Type.SHORT_ANSWER:
            return {"text": data.get("text", "")[:_MAX_TEXT]}
        case Question.Type.NUMERICAL:
            return {"number": data.get("number", "")[:100]}
        case Question.Type.MATCHING:
            return {
                "matches": {
                    choice.key: data.get(f"match-{choice.key}", "")
                    for choice in question.choices.all()
                    if choice.text
                }
            }
        case _:
            return {"choice": data.get("choice", "")}
