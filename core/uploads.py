"""Admin uploads: limits checked with a clear message, files staged under their own names.

Both import screens (articles, question files) stage uploads here, so the same names and
limits apply to both; the importers then read the staged files like any folder.
"""

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename


class UploadError(ValueError):
    """An upload refused before anything is read; the message names the file(s)."""


def upload_name(upload: UploadedFile, fallback: str = "upload.txt") -> str:
    """The name a file is saved under: its own, made safe for the file system."""
    return get_valid_filename(Path(upload.name or "").name) or fallback


def uploads_check(uploads: Iterable[UploadedFile]) -> None:
    uploads = list(uploads)
    most = settings.IMPORT_MAX_FILES
    if len(uploads) > most:
        raise UploadError(f"{len(uploads)} files in one upload; at most {most}: upload fewer")
    biggest = settings.IMPORT_MAX_FILE_BYTES
    for upload in uploads:
        if upload.size > biggest:
            raise UploadError(
                f"{upload.name}: {filesizeformat(upload.size)}, over the limit of "
                f"{filesizeformat(biggest)} per file"
            )
    saved_as: dict[str, str] = {}
    for upload in uploads:
        name = upload_name(upload)
        if name in saved_as:
            raise UploadError(
                f"'{saved_as[name]}' and '{upload.name}' would both be saved as '{name}' "
                "(one chapter); rename one of them"
            )
        saved_as[name] = upload.name


def uploads_stage(uploads: Iterable[UploadedFile], folder: Path) -> list[Path]:
    """Write checked uploads into ``folder`` under their safe names; the paths, in order."""
    uploads = list(uploads)
    uploads_check(uploads)
    paths = []
    for upload in uploads:
        target = Path(folder) / upload_name(upload)
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        paths.append(target)
    return paths
