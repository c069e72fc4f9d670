"""Question file formats: GIFT and Aiken in, GIFT out. Plain data, no database."""

from pathlib import Path

from .aiken import parse_aiken
from .common import FormatError, ParsedChoice, ParsedQuestion, ParseResult, read_text
from .gift import parse_gift, write_gift

FORMATS = ("gift", "aiken")

__all__ = [
    "FORMATS",
    "FormatError",
    "ParseResult",
    "ParsedChoice",
    "ParsedQuestion",
    "detect_format",
    "parse_file",
    "write_gift",
]


def detect_format(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gift"):
        return "gift"
    if name.endswith((".aiken", ".aiken.txt")):
        return "aiken"
    raise FormatError(
        path,
        None,
        "cannot tell the format from the file name (.gift, .aiken, .aiken.txt); "
        "choose gift or aiken",
    )


def parse_file(*, path: Path, fmt: str | None = None) -> ParseResult:
    """Every question of the file, or a FormatError naming the first line that is wrong."""
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise FormatError(path, None, f"unknown format '{fmt}' (gift or aiken)")
    text = read_text(path)
    result = (parse_gift if fmt == "gift" else parse_aiken)(text, path=path)
    if not result.questions and not result.warnings:
        raise FormatError(path, 1, f"no {fmt.upper()} questions found")
    return result
