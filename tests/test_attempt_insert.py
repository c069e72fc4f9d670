"""An attempt is saved by a written-out INSERT (quizzes.services.grading, issue 14): the row
must be the one the ORM would have written, on SQLite and PostgreSQL alike."""

from decimal import Decimal

import pytest
from django.db.models import Model
from django.db.models.signals import post_save, pre_save

from quizzes.models import Attempt
from quizzes.services import attempt_submit
from tests.conftest import make_course, make_question, make_user

pytestmark = pytest.mark.django_db

COLUMNS = ("learner_id", "question_id", "response", "score", "correct", "context", "context_key")


def test_the_written_out_insert_stores_what_the_orm_would():
    question = make_question(chapter=make_course(chapters=1).chapters.get())
    learner = make_user()
    response = {"text": "Écoute active — 聞く", "nested": {"n": [1, 2.5, None, True]}}
    result = attempt_submit(learner=learner, question=question, response=response)
    assert result.attempt.pk is not None and not result.attempt._state.adding
    by_orm = Attempt.objects.create(
        learner=learner,
        question=question,
        response=response,
        score=result.grade.score.quantize(Decimal("0.0000001")),
        correct=result.grade.correct,
    )
    ours, theirs = (
        Attempt.objects.filter(pk=pk).values(*COLUMNS, "created_at").get()
        for pk in (result.attempt.pk, by_orm.pk)
    )
    assert ours["created_at"] is not None and ours["created_at"] <= theirs["created_at"]
    assert {k: ours[k] for k in COLUMNS} == {k: theirs[k] for k in COLUMNS}
    assert ours["response"] == response
    # The instance handed back is the saved row, usable like one the ORM returned.
    result.attempt.refresh_from_db()
    assert result.attempt.response == response


def test_nothing_the_orm_would_run_on_save_is_skipped():
    # The INSERT bypasses Model.save(): that is only right while Attempt has no save() of its
    # own and nobody listens to its saves. Adding either must come with going back to the ORM.
    assert Attempt.save is Model.save
    assert Attempt.save_base is Model.save_base
    assert not pre_save.has_listeners(Attempt)
    assert not post_save.has_listeners(Attempt)
