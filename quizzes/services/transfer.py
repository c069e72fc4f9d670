"""Question import (GIFT, Aiken) and export (GIFT). Owned by the formats work."""


def questions_import(*args, **kwargs):
    raise NotImplementedError


def questions_export(*args, **kwargs):
    raise NotImplementedError
