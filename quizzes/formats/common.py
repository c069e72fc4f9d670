"""What every question format shares: the parsed shapes, the error, and reading a file.

Parsers turn text into these plain dataclasses and never touch the database, so a file
is parsed completely (and refused completely) before anything is written.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from core.textfiles import TextFileError, read_text_file

# PHP's trim() characters. Moodle trims with these; a no-break space survives, and the
# GIFT writer relies on that (see gift.py).
TRIM_CHARS = " \t\n\r\0\x0b"


def php_trim(text: str) -> str:
    return text.strip(TRIM_CHARS)


class FormatError(Exception):
    """A file that cannot be imported, with the line that says why."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f" line {self.line}" if self.line else ""
        return f"{self.path.name}{where}: {self.message}"


@dataclass
class ParsedChoice:
    text: str = ""
    fraction: Decimal = Decimal(0)
    feedback: str = ""
    match_text: str = ""
    value: float | None = None
    tolerance: float | None = None


@dataclass
class ParsedQuestion:
    qtype: str
    stem: str
    line: int = 0
    name: str = ""
    category: str = ""
    general_feedback: str = ""
    choices: list[ParsedChoice] = field(default_factory=list)


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    # One string per item that was read but not imported, each naming its line.
    warnings: list[str] = field(default_factory=list)


def read_text(path: Path) -> str:
    """The file as text with "\\n" line ends, or a FormatError saying why it is not text."""
    try:
        text = read_text_file(path)
    except TextFileError as error:
        raise FormatError(path, error.line, error.message) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Markdown is how this project stores text. Moodle's "moodle" and "plain" formats show
# characters such as * and _ literally, so those are escaped on the way in.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")
# Block markers only count at a line start: headings, quotes, list items, rules.
_MD_LINE_START = re.compile(r"^([ \t]*)([#>]|[+-](?=[ \t]|-|$)|\d+\.(?=[ \t]|$))", re.MULTILINE)


def markdown_from(text: str, text_format: str) -> str:
    """Text in one of Moodle's formats (moodle, html, plain, markdown) as Markdown."""
    if text_format in ("markdown", "html"):
        # Raw HTML is valid Markdown; it is sanitised when rendered.
        return text
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    if text_format == "plain":
        escaped = escaped.replace("&", "&amp;").replace("<", "&lt;")
    return _MD_LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match) -> str:
    indent, marker = match.groups()
    if marker[-1] == ".":
        return f"{indent}{marker[:-1]}\\."
    return f"{indent}\\{marker}"
