"""What a learner's form calls each choice: opaque per-learner names, mapped back on the server.

A choice's stored ``key`` never reaches a page. Every name and value in an exercise form is an
HMAC (Django's ``SECRET_KEY``) of the learner's seed, the question, a role and the stored key, so
nothing in the markup relates a matching sub-question to its answer, and the order in which
choices are shown cannot be recomputed from the open source code and a user id.
"""

import random

from django.utils.crypto import salted_hmac

_SALT = "chapterwise.quizzes.form-key"


def learner_seed(learner) -> str:
    """The seed for a learner's forms; visitors share one (their form is disabled)."""
    if learner is not None and learner.is_authenticated:
        return f"user:{learner.pk}"
    return "visitor"


def form_key(*, seed: str, question_id: int, role: str, value: str) -> str:
    message = f"{seed}|{question_id}|{role}|{value}"
    return salted_hmac(_SALT, message, algorithm="sha256").hexdigest()[:20]


def shuffled(items: list, *, seed: str, question_id: int, role: str) -> list:
    """The same order for the same learner and question; unpredictable without the secret."""
    items = list(items)
    order = form_key(seed=seed, question_id=question_id, role=f"order:{role}", value="")
    random.Random(order).shuffle(items)
    return items
