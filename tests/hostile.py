"""Loader for tests/data/hostile.json: the shared hostile inputs of the hardening tests."""

import json
from functools import cache
from pathlib import Path

PATH = Path(__file__).parent / "data" / "hostile.json"


def expand(value):
    if isinstance(value, dict) and "repeat" in value:
        return value.get("prefix", "") + value["repeat"] * value["times"] + value.get("suffix", "")
    return value


@cache
def _data() -> dict:
    return json.loads(PATH.read_text(encoding="utf-8"))


def numbers(kind: str) -> list[str]:
    return [expand(v) for v in _data()["numbers"][kind]]


def wildcards() -> list[tuple[str, str]]:
    return [(item["pattern"], expand(item["guess"])) for item in _data()["wildcards"]]


def nested_markdown() -> dict[str, str]:
    cases = _data()["markdown"]
    spec = cases["nested_list"]
    nested_list = "\n".join(
        spec["indent"] * depth + f"{spec['item']} {depth}" for depth in range(spec["lines"])
    )
    return {
        "nested_list": nested_list + "\n",
        "nested_quote": expand(cases["nested_quote"]) + "\n",
        "nested_emphasis": expand(cases["nested_emphasis"]) + "\n",
    }


def colliding_names() -> list[tuple[str, str]]:
    return [tuple(pair) for pair in _data()["colliding_names"]]


def names(kind: str) -> list[str]:
    return [expand(v) for v in _data()["names"][kind]]


def count() -> int:
    """How many hostile inputs the file holds (for the closing note)."""
    data = _data()
    return (
        len(data["numbers"]["verdict"])
        + len(data["numbers"]["not_a_number"])
        + len(data["wildcards"])
        + len(data["markdown"])
        + len(data["colliding_names"])
        + len(data["names"]["refused"])
        + len(data["names"]["accepted"])
    )
