"""Hooks through which apps above courses answer questions about content changes.

courses imports no app above it; an app that keeps data about chapters connects a receiver
here and courses asks it by sending the signal.
"""

from django.dispatch import Signal

# Sent by course_import before it removes chapters whose file is gone, with
# ``chapter_ids``. Each receiver returns ``{chapter_id: {"learners": n}}`` (learners with
# progress there, lost with the chapter) and/or ``{chapter_id: {"attempts": n}}``.
chapters_removal_impact = Signal()

# Sent by course_import after it rewrote chapters' text (created ones not included), with
# ``chapter_ids``. Each receiver returns a list of one-line notes for the import summary
# (for example, generated questions moved back to draft because their passage changed).
chapters_rewritten = Signal()
