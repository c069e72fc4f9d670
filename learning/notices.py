"""Messages shown to a learner at moments that matter."""

from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


def congratulate_on_completion(request, course) -> None:
    if request.user.full_name:
        link = reverse("certificates:list")
        text = format_html(
            _('You completed “{}”. <a href="{}" class="alert-link">See your certificate</a>.'),
            course.title,
            link,
        )
    else:
        link = f"{reverse('profile')}?next={reverse('certificates:list')}"
        text = format_html(
            _(
                'You completed “{}”. <a href="{}" class="alert-link">Add your name</a> '
                "to receive your certificate."
            ),
            course.title,
            link,
        )
    messages.success(request, text)
