"""Certificate ids: random, unguessable, easy to read aloud and to type from paper.

80 random bits written in Crockford's base32 (no I, L, O or U) make 16 symbols,
shown as four groups of four. Reading is forgiving the way Crockford intends:
case, hyphens and spaces don't matter, I/L read as 1 and O as 0.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16  # 16 symbols x 5 bits = 80 bits
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
_VALID = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")


def new_code() -> str:
    number = secrets.randbits(LENGTH * 5)
    symbols = []
    for _ in range(LENGTH):
        number, digit = divmod(number, 32)
        symbols.append(ALPHABET[digit])
    return "".join(symbols)


def display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(text: str) -> str | None:
    """The stored form of a code someone typed or scanned, or None if it cannot be one."""
    cleaned = re.sub(r"[\s-]", "", text.upper()).translate(_READ_AS)
    return cleaned if _VALID.fullmatch(cleaned) else None
