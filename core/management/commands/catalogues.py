"""The translation catalogues in locale/: regenerate them, or check that they are complete.

`make messages` runs this (then compiles them); the suite runs `--check`, which fails when a
marked string is missing from a catalogue (or a catalogue keeps one no longer used), and
when an entry is fuzzy or untranslated in any language.
"""

import contextlib
import re
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
_ENTRY = re.compile(r'^(msgid|msgid_plural|msgctxt) "(.*)"$')
_CONTINUED = re.compile(r'^"(.*)"$')


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


def msgids(po: Path) -> set[tuple[str, ...]]:
    """The (context, msgid, plural) keys a catalogue holds, the header left out."""
    keys: set[tuple[str, ...]] = set()
    current: dict[str, str] = {}
    field = ""

    def close() -> None:
        if current.get("msgid"):
            keys.add(
                (current.get("msgctxt", ""), current["msgid"], current.get("msgid_plural", ""))
            )

    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~"):
            continue
        if match := _ENTRY.match(line):
            if match.group(1) in ("msgid", "msgctxt") and "msgid" in current:
                close()
                current = {}
            if match.group(1) == "msgctxt":
                current = {}
            field = match.group(1)
            current[field] = match.group(2)
        elif (match := _CONTINUED.match(line)) and field:
            current[field] = current.get(field, "") + match.group(1)
        elif line.startswith("msgstr"):
            field = ""
    close()
    return keys


def problems_in(po: Path) -> list[str]:
    """What msgfmt says is fuzzy, untranslated or malformed in one catalogue."""
    result = subprocess.run(  # noqa: S603 - our own file, gettext's own tool
        [shutil.which("msgfmt") or "msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
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
                missing = msgids(fresh) - msgids(committed)
                stale = msgids(committed) - msgids(fresh)
                where = committed.relative_to(ROOT)
                for key in sorted(missing)[:5]:
                    errors.append(f"{where}: not in the catalogue: {key[1]!r} (run make messages)")
                for key in sorted(stale)[:5]:
                    errors.append(f"{where}: no longer used: {key[1]!r} (run make messages)")
                errors += [f"{where}: {problem}" for problem in problems_in(committed)]
        if errors:
            raise CommandError("\n".join(errors))
        self.stdout.write(f"Catalogues complete and up to date: {', '.join(locales())}.")
