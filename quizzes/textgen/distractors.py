"""Distractors: other terms of the same kind, siblings first, the same for the same seed."""

import random

from .words import DISTRACTORS, stem_words, synonyms, word_roots


def choose_distractors(
    *,
    answer: str,
    siblings: list[str],
    others: list[str],
    seed: str,
    must_share: set[str] | None = None,
) -> list[str]:
    """Three other terms, siblings first, the same three for the same seed.

    No two options name one idea (synonyms, duplicates). With ``must_share`` (the stem's
    content words, when the answer shares one of them) the first pick is a term that shares
    one too, so that no option is the only one echoing the stem.
    """
    rng = random.Random(seed)
    chosen: list[str] = []

    def fits(term: str) -> bool:
        return term.casefold() != answer.casefold() and not any(
            synonyms(term, other) or term.casefold() == other.casefold()
            for other in [answer, *chosen]
        )

    if must_share:
        for pool in (siblings, others):
            sharing = [t for t in pool if fits(t) and word_roots(t) & must_share]
            if sharing:
                chosen.append(rng.choice(sorted(sharing)))
                break
    for pool in (siblings, others):
        unique = []
        for term in pool:
            if fits(term) and not any(
                term.casefold() == u.casefold() or synonyms(term, u) for u in unique
            ):
                unique.append(term)
        need = DISTRACTORS - len(chosen)
        chosen.extend(rng.sample(unique, min(need, len(unique))))
        if len(chosen) == DISTRACTORS:
            break
    return chosen


def fair_options(stem: str, answer: str, distractors: list[str]) -> bool:
    """No option may be the only one sharing a content word with the stem (a give-away)."""
    words = stem_words(stem)
    answer_shares = bool(word_roots(answer) & words)
    return not answer_shares or any(word_roots(d) & words for d in distractors)
