"""The translation catalogues in locale/: regenerate them, or check that they are complete.

`make messages` runs this (then compiles them); the suite runs `--check`, which fails when a
marked string is missing from a catalogue (or a catalogue keeps one no longer used), and
when an entry is fuzzy or untranslated in any language.
"""

import contextlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import to_locale

ROOT = Path(settings.BASE_DIR)
# What is never the product's own text to translate.
IGNORED = [".venv/*", "node_modules/*", "staticfiles/*", "tests/*", "bench/*", "var/*", "demo/*"]


def locales() -> list[str]:
    """Every language but the source one, as gettext names them ("pt_BR")."""
    return [to_locale(code) for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def generate() -> None:
    call_command(
        "makemessages",
        locale=locales(),
        ignore_patterns=IGNORED,
        no_obsolete=True,
        add_location="file",
        verbosity=0,
    )


def _gettext(tool: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own files, gettext's own tools
        [shutil.which(tool) or tool, *args], capture_output=True, text=True, check=False
    )


def missing_from(definitions: Path, references: Path) -> list[str]:
    """The entries of ``references`` that ``definitions`` lacks, as gettext's msgcmp names
    them (file:line: this message is used but not defined)."""
    result = _gettext(
        "msgcmp", "--use-untranslated", "--use-fuzzy", str(definitions), str(references)
    )
    return [line for line in result.stderr.splitlines() if "used but not defined" in line]


def problems_in(po: Path) -> list[str]:
    """What msgfmt says is fuzzy, untranslated or malformed in one catalogue."""
    result = _gettext("msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po))
    found = []
    if result.returncode:
        found.append(result.stderr.strip().splitlines()[0])
    stats = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
    for word in ("fuzzy", "untranslated"):
        if word in stats:
            found.append(stats)
            break
    lines = po.read_text(encoding="utf-8").splitlines()
    if any(
        line.startswith("#, fuzzy") or ", fuzzy" in line for line in lines if line.startswith("#,")
    ):
        found.append("fuzzy entries (the header included)")
    return sorted(set(found))


class Command(BaseCommand):
    help = "Regenerate locale/*/LC_MESSAGES/django.po from the marked strings, or --check them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail when a catalogue is out of date, fuzzy or incomplete.",
        )

    def handle(self, *args, check: bool, **options):
        if not shutil.which("msgfmt"):
            raise CommandError("GNU gettext is missing (msgfmt): install the gettext package")
        if not check:
            generate()
            self.stdout.write(f"Catalogues regenerated for {', '.join(locales())}.")
            return
        errors = []
        with tempfile.TemporaryDirectory(prefix="chapterwise-catalogues-") as temp:
            copy = Path(temp) / "tree"
            shutil.copytree(
                ROOT,
                copy,
                ignore=shutil.ignore_patterns(
                    ".venv", "node_modules", "staticfiles", "var", ".git", "*.mo", "__pycache__"
                ),
            )
            # makemessages reads the current directory and writes to LOCALE_PATHS[0].
            configured = settings.LOCALE_PATHS
            settings.LOCALE_PATHS = [copy / "locale"]
            try:
                with contextlib.chdir(copy):
                    generate()
            finally:
                settings.LOCALE_PATHS = configured
            for locale in locales():
                committed = ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"
                fresh = copy / "locale" / locale / "LC_MESSAGES" / "django.po"
                if not committed.exists():
                    errors.append(f"{committed.relative_to(ROOT)}: missing (run make messages)")
                    continue
                where = committed.relative_to(ROOT)
                for line in missing_from(committed, fresh)[:5]:
                    errors.append(
                        f"{where}: a marked string is not in it (run make messages): {line}"
                    )
                for line in missing_from(fresh, committed)[:5]:
                    errors.append(
                        f"{where}: holds a string no longer used (run make messages): {line}"
                    )
                errors += [f"{where}: {problem}" for problem in problems_in(committed)]
        if errors:
            raise CommandError("\n".join(errors))
        self.stdout.write(f"Catalogues complete and up to date: {', '.join(locales())}.")
