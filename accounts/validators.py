"""What a printable name may hold: any script, no invisible control characters."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Bidirectional embeddings, overrides and isolates (U+202E makes "evil" print as "live"),
# and the marks that only steer direction: a certificate must print what the verify page
# shows. Zero-width joiners (U+200C/U+200D) stay: Persian and Indic names need them.
_BIDI_CONTROLS = {
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
}
# Control characters (tabs, new lines, escapes), surrogates, private use, unassigned.
_REFUSED_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}


def validate_printable_name(value: str) -> None:
    # Zero-width spaces, word joiners, byte-order marks, tag characters: a name made only of
    # them prints as nothing, yet would be signed into a credential (issue 26).
    if value and not any(
        unicodedata.category(char) not in ("Cf", "Zs", "Zl", "Zp") for char in value
    ):
        raise ValidationError(_("A name needs at least one visible letter."), code="invisible_name")
    for char in value:
        if char in _BIDI_CONTROLS or unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise ValidationError(
                _(
                    "Names cannot contain invisible control characters (such as U+%(code)s): "
                    "type the name as it should be printed."
                ),
                code="control_character",
                params={"code": f"{ord(char):04X}"},
            )
