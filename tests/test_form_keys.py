"""The names in exercise forms (quizzes.keys) are the MAC the module documents.

Pinned against an independent computation: a change of scheme would turn every form open in
a browser at a deploy into a "this form is out of date" error, and a faster way of computing
the same MAC must give the same names.
"""

import hashlib

from quizzes.keys import form_key, form_keys


def _documented(secret: str, message: str) -> str:
    key = hashlib.sha256(("chapterwise.quizzes.form-key" + secret).encode()).digest()
    return hashlib.blake2b(message.encode(), key=key, digest_size=10).hexdigest()


def test_a_name_is_the_keyed_blake2_of_seed_question_role_and_value(settings):
    settings.SECRET_KEY = "a-secret-for-this-test-only-" + "x" * 30
    expected = _documented(settings.SECRET_KEY, "user:7|42|choice|b")
    assert form_key(seed="user:7", question_id=42, role="choice", value="b") == expected


def test_names_of_one_question_each_depend_on_their_value_only(settings):
    settings.SECRET_KEY = "another-secret-for-this-test-" + "y" * 30
    key = form_keys(seed="user:7", question_id=42, role="sub")
    names = [key(value) for value in ("a", "b", "a", "é")]  # no state carried between values
    assert names == [
        _documented(settings.SECRET_KEY, f"user:7|42|sub|{value}") for value in ("a", "b", "a", "é")
    ]
    assert names[0] == names[2] != names[1]


def test_the_secret_changes_every_name(settings):
    settings.SECRET_KEY = "first-secret-for-this-test-" + "z" * 30
    before = form_key(seed="visitor", question_id=1, role="choice", value="a")
    settings.SECRET_KEY = "second-secret-for-this-test-" + "z" * 30
    after = form_key(seed="visitor", question_id=1, role="choice", value="a")
    assert before != after == _documented(settings.SECRET_KEY, "visitor|1|choice|a")
