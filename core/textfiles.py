"""Reading a text file someone uploaded or pointed at: UTF-8, not binary, not empty.

Articles (courses) and question files (quizzes) are read here, so both refuse the same
files with the same words; each importer turns TextFileError into its own error type.
"""

from pathlib import Path


class TextFileError(Exception):
    """A file that is not usable text; ``line`` is where the problem is, when known."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}{f' line {line}' if line else ''}: {message}")


def read_text_file(path: Path | str) -> str:
    """The file's text (a UTF-8 byte order mark dropped), or TextFileError saying why not."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TextFileError(path, None, f"cannot be read ({error.strerror or error})") from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise TextFileError(path, line, "binary data (a NUL byte); expected a UTF-8 text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TextFileError(
            path, line, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        ) from None
    if not text.strip(" \t\n\r\0\x0b"):
        raise TextFileError(path, None, "the file is empty")
    return text
