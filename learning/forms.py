"""Forms of the learner's pages that are not the exercise's own (quizzes.forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes.models import QuestionReport


class QuestionReportForm(forms.Form):
    """What is wrong with a question, from a fixed list: no free text, so nothing a learner
    writes ever reaches another learner's page."""

    reason = forms.ChoiceField(
        label=_("What is wrong with this question?"),
        choices=QuestionReport.Reason.choices,
        widget=forms.RadioSelect,
    )
