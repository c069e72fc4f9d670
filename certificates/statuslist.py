"""Revocation that any verifier understands: W3C Bitstring Status List v1.0.

Each certificate has an index (its primary key) in a status list of 131,072 bits (the
spec's 16 KB minimum, for herd privacy); a set bit means revoked. The list is published as a
signed credential (``BitstringStatusListCredential``, VC-JWT like the certificates), the
bitstring GZIP-compressed and base64url-encoded with the multibase prefix "u". Every node
builds it from the database; the shared cache keeps it for a minute.
"""

import base64
import gzip

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from .models import Certificate

LIST_BITS = 131_072
CACHE_SECONDS = 60


def status_position(certificate: Certificate) -> tuple[int, int]:
    """(list number, index in that list) of a certificate."""
    return certificate.pk // LIST_BITS + 1, certificate.pk % LIST_BITS


def status_list_url(number: int) -> str:
    return f"{settings.SITE_URL}{reverse('credentials:status_list', args=[number])}"


def status_entry(certificate: Certificate) -> dict:
    """The credential's ``credentialStatus``: where its revocation bit lives."""
    number, index = status_position(certificate)
    url = status_list_url(number)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def encode_bits(bits: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(bits, mtime=0)).rstrip(b"=").decode()


def decode_bits(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (prefix 'u')")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bits: bytes, index: int) -> bool:
    """Index 0 is the left-most bit of the first byte (the spec's order)."""
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _bits(number: int) -> bytes:
    first = (number - 1) * LIST_BITS
    bits = bytearray(LIST_BITS // 8)
    for pk in Certificate.objects.filter(
        pk__gte=first, pk__lt=first + LIST_BITS, revoked_at__isnull=False
    ).values_list("pk", flat=True):
        index = pk - first
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def status_list_encoded(number: int) -> str:
    """The list's encodedList, from the shared cache when another node built it lately."""
    key = f"status-list:{number}"
    encoded = cache.get(key)
    if encoded is None:
        encoded = encode_bits(_bits(number))
        cache.set(key, encoded, CACHE_SECONDS)
    return encoded


def status_list_changed(certificate: Certificate) -> None:
    """A revocation, reinstatement or withdrawal: the list is rebuilt on its next request;
    again once the transaction commits, since a reader in between rebuilt it from the old
    rows."""
    key = f"status-list:{status_position(certificate)[0]}"
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
