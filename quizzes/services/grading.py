"""Grading, server-side, per question type."""


def response_grade(*args, **kwargs):
    raise NotImplementedError


def attempt_submit(*args, **kwargs):
    raise NotImplementedError


class AttemptResult:
    pass
