"""Course imports from the admin, run by the task worker (issue 26).

The admin's upload is checked and its files kept in the database (``CourseImport``) in the
request, which then returns at once; ``course_import_run`` (run by ``course_import_task``)
writes them to a temporary folder on whichever node runs it and imports them with
``course_import``, recording progress file by file and the result or the error the admin
reads on the import's page. With the immediate task backend (``make run``) the import runs
when the request's transaction commits, as before.
"""

import logging
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.text import slugify

from core.uploads import upload_name, uploads_check

from .models import Course, CourseImport, CourseImportFile
from .services import ArticleError, course_import

logger = logging.getLogger(__name__)


@transaction.atomic
def course_import_queue(
    *,
    uploads: Iterable[UploadedFile],
    slug: str,
    title: str,
    remove_missing: bool,
    created_by,
) -> CourseImport:
    """Keep a checked upload for the worker and queue its import once this commits."""
    uploads = list(uploads)
    uploads_check(uploads)
    slug = slug or slugify(title)
    job = CourseImport.objects.create(
        created_by=created_by,
        slug=slug,
        title=title,
        remove_missing=remove_missing,
        files_total=len(uploads),
    )
    CourseImportFile.objects.bulk_create(
        CourseImportFile(
            job=job,
            position=position,
            name=upload_name(upload),
            content=b"".join(upload.chunks()),
        )
        for position, upload in enumerate(uploads)
    )
    job_id = str(job.pk)
    transaction.on_commit(lambda: course_import_task.enqueue(job_id=job_id))
    return job


def course_import_run(*, job_id: str) -> CourseImport | None:
    """Import a queued upload; the job records progress and the outcome. Runs once: a job
    that is not waiting (already run, or running elsewhere) is left alone."""
    claimed = CourseImport.objects.filter(pk=job_id, status=CourseImport.Status.QUEUED).update(
        status=CourseImport.Status.RUNNING
    )
    if not claimed:
        return None
    job = CourseImport.objects.get(pk=job_id)

    def progress(done: int, total: int) -> None:
        CourseImport.objects.filter(pk=job.pk).update(files_done=done, files_total=total)

    with tempfile.TemporaryDirectory() as folder:
        for file in job.files.all():
            (Path(folder) / file.name).write_bytes(bytes(file.content))
        title = job.title
        if not title and not Course.objects.filter(slug=job.slug).exists():
            title = job.slug.replace("-", " ").capitalize()
        try:
            report = course_import(
                path=Path(folder),
                slug=job.slug,
                title=title or None,
                remove_missing=job.remove_missing,
                on_rendered=progress,
            )
        except ArticleError as error:
            # The temporary folder means nothing to the admin; the file name does.
            message = str(error).replace(f"{folder}/", "").replace(folder, "the upload")
            return _finish(job, status=CourseImport.Status.FAILED, error=message)
    notes = [f"Removed {removed.describe()}." for removed in report.removed_chapters]
    notes += [note[:1].upper() + note[1:] + "." for note in report.notes]
    return _finish(
        job,
        status=CourseImport.Status.DONE,
        course=report.course,
        summary=report.summary + ".",
        notes=notes,
    )


@task
def course_import_task(*, job_id: str) -> None:
    course_import_run(job_id=job_id)


def _finish(job: CourseImport, **outcome) -> CourseImport:
    for name, value in outcome.items():
        setattr(job, name, value)
    job.finished_at = timezone.now()
    job.files_done = job.files_total if job.status == CourseImport.Status.DONE else job.files_done
    with transaction.atomic():
        job.save()
        job.files.all().delete()  # the articles now live in the course, or were refused
    logger.info("course import %s: %s", job.pk, job.status)
    return job
