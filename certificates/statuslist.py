"""Revocation that any verifier understands: W3C Bitstring Status List v1.0.

Each certificate has a random index in a status list of 131,072 bits (the spec's 16 KB
minimum, for herd privacy; random, so an index does not tell the order of issue); a set bit
means revoked. A list takes new certificates until half its bits are used, so a random pick
rarely finds a used one; then the next list opens. Certificates issued before random
indexes kept their id as index. The list is published as a
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

from .models import STATUS_LIST_BITS, Certificate, random_status_index

LIST_BITS = STATUS_LIST_BITS
CACHE_SECONDS = 60


def status_position(certificate: Certificate) -> tuple[int, int]:
    """(list number, index in that list) of a certificate."""
    return certificate.status_list, certificate.status_index


def status_position_new() -> tuple[int, int]:
    """A list with room (at most half full) and a random index in it; the database's unique
    (list, index) constraint settles the rare pick of a used one (the caller picks again)."""
    newest = Certificate.objects.order_by("-status_list").values_list("status_list", flat=True)
    number = newest.first() or 1
    if Certificate.objects.filter(status_list=number).count() >= LIST_BITS // 2:
        number += 1
    return number, random_status_index()


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
    bits = bytearray(LIST_BITS // 8)
    for index in Certificate.objects.filter(
        status_list=number, revoked_at__isnull=False
    ).values_list("status_index", flat=True):
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
