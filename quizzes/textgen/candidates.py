"""Sentences that define a term, best first, and the reasons a section has none."""

import re
from dataclasses import dataclass

from lemminflect import getAllLemmas

from .stems import stem_from
from .words import (
    BY_RANK,
    DOING_RANK,
    DOING_VERBS,
    SINGULAR_KINDS,
    VERBS,
    Skip,
    gerund,
    is_statement,
    names_term,
    split_sentences,
    term_forms,
    term_pattern,
    tidy,
    verb_lemma,
)


@dataclass(frozen=True)
class Definition:
    verb: str  # "involves", "means", "is", ":" ...
    clause: str  # what follows the verb, tidy, no final punctuation
    lead: str  # the stem's opening ("Which of the following techniques")

    @property
    def stem(self) -> str:
        return stem_from(self.lead, self.verb, self.clause) or ""


# After "is"/"are" these only praise or hedge: "Patience is essential when ...", "main is
# usually the default branch". Not definitions.
_NOT_A_DEFINITION = re.compile(
    r"^(?:not\b|(?:also|often|usually|typically|sometimes|always|generally|very|so|really|"
    r"just|simply|especially|particularly|increasingly|more|less|most|quite)\b|"
    r"(?:(?:a|an|the)\s+)?(?:essential|important|crucial|critical|key|vital|necessary|"
    r"useful|helpful|valuable|beneficial|paramount|fundamental|great|good|best|must|"
    r"cornerstone|foundation|backbone|heart|core|basis)\b|one\s+of\b|another\b|"
    r"designed\s+to\b|meant\s+to\b|intended\s+to\b|likely\b|able\s+to\b)",
    re.IGNORECASE,
)
# Third-person pronouns with nothing before them in the stem to point at.
_DANGLING = re.compile(r"^(?:\S+\s+){0,2}(?:them|they|their|it|its|this|these|those)\b", re.I)
# Ranks: lower is better.
_IMPERATIVE_RANK = VERBS.index("is")
_GLOSS_RANK = VERBS.index("means")


# Capitalised words that look like verbs but start no instruction worth a stem.
_NOT_IMPERATIVES = {
    "don't", "do", "never", "may", "might", "must", "can", "could", "should", "would", "will",
    "shall", "see", "note", "read", "learn", "click", "visit", "check", "refer",
}  # fmt: skip


_LEADING_CLAUSE = re.compile(
    r"^(?P<lead>(?:After|Before|When|Whenever|Once|If|While|During|In)\b[^,]{3,80}),\s+"
    r"(?P<rest>[a-z].+)$"
)
# After "and" a verb is converted when an object or adverb follows it: "and work with".
_OBJECT_START = {
    "the", "a", "an", "your", "their", "its", "any", "all", "every", "each", "them", "it",
    "yourself", "with", "to", "on", "up", "down", "out", "in", "for", "what", "how", "that",
}  # fmt: skip


def imperative(sentence: str) -> str | None:
    """ "Ensure that X and work with Y." -> "ensuring that X and working with Y".

    A leading clause moves to the end: "After resolving it, evaluate the situation." ->
    "evaluating the situation, after resolving it".
    """
    if lead := _LEADING_CLAUSE.match(sentence):
        converted = imperative(lead["rest"][:1].upper() + lead["rest"][1:])
        if converted:
            tail = lead["lead"][:1].lower() + lead["lead"][1:]
            return f"{converted.rstrip('.')}, {tail}"
        return None
    words = sentence.split()
    if not words or not words[0][:1].isupper() or words[0].lower().strip(",:") in _NOT_IMPERATIVES:
        return None
    first = re.sub(r"[^A-Za-z]", "", words[0])
    if not first or verb_lemma(first) is None:
        return None
    # "Clear communication is key" starts with a verb's spelling but is a statement.
    if re.search(r"\b(is|are|was|were|can|will|should|may|might|must)\b", " ".join(words[1:4])):
        return None
    converted = [gerund(first)]
    for index, word in enumerate(words[1:], start=1):
        previous = words[index - 1].lower().rstrip(",")
        bare = re.sub(r"[^A-Za-z]", "", word)
        following = words[index + 1].lower() if index + 1 < len(words) else ""
        if (
            previous in {"and", "or", "then"}
            and bare
            and bare == word.rstrip(",.;")
            and verb_lemma(bare)
            and (not getAllLemmas(bare.lower(), upos="NOUN") or following in _OBJECT_START)
        ):
            converted.append(gerund(bare) + word[len(bare) :])
        else:
            converted.append(word)
    return " ".join(converted)


def _gloss(sentence: str) -> str | None:
    """ "A token that is used in place of a password." as a definition with no verb."""
    if re.match(r"^(?:Some|Many|Most|All|These|Those|Several|Few|Both)\b", sentence):
        return None  # "Some attacks aim to ...": a statement about some things
    if re.match(r"^(?:A|An|The|Any|One|Each)\s+\w+", sentence) and not is_statement(sentence):
        return sentence
    # "Executable code that is introduced ...", "Hardware, software, and/or firmware that ..."
    if re.match(
        r"^[A-Z][\w,/’'-]*(?:\s+[\w,/’'-]+){0,4}?\s+(?:that|which|who|used|of|for|to)\b",
        sentence,
    ) and not is_statement(sentence):
        return sentence
    return None


def definition_candidates(term: str, paragraph: str) -> list[tuple[int, int, str, str]]:
    """(rank, order, verb, rest) for every sentence that reads as a definition of the term."""
    named = "|".join(term_pattern(form) for form in term_forms(term))
    # "Defense in depth, also known as layered security, is ..." and "MFA (multi-factor ...)"
    aside = (
        r"(?:\s*,\s*(?:also\s+)?(?:known|called|referred\s+to)\s+as\s+[^,]{1,60},"
        r"|\s+\([^)]{1,60}\))?"
    )
    subject = (
        rf"(?:[A-Za-z]+ing\s+and\s+)?(?:(?:a|an|the)\s+)?(?:{named})"
        rf"(?:\s+(?:{SINGULAR_KINDS}))?{aside}"
        rf"|this\s+(?:{SINGULAR_KINDS})"
        # The long name with the term as its short form: "A content identifier (CID)".
        rf"|(?:(?:a|an|the)\s+)?[\w'’-]+(?:\s+[\w'’-]+){{0,5}}\s*(?:\((?:{named})\)"
        rf"|,\s+or\s+(?:{named}),){aside}"
    )
    # "Building rapport with the customer can create ..." puts a short phrase before the verb.
    phrase = r"(?:\s+(?:with|for|to|in|on|of|from)(?:\s+[\w'’-]+){1,4}?)?"
    verbs = "|".join(verb.replace(" ", r"\s+") for verb in VERBS)
    defining = re.compile(
        rf"^(?P<subject>{subject}|it){phrase}\s+(?:\w+ly\s+)?"
        rf"(?:(?P<verb>{verbs}|is\s+defined\s+as|describes)|(?P<doing>{DOING_VERBS}|[a-z]+s))"
        rf"\s+(?P<rest>.+)$",
        flags=re.IGNORECASE,
    )
    found = []
    colon = re.match(rf"^{term_pattern(term)}\s*[:–—-]\s+(?P<rest>.+)$", paragraph, re.I)
    if colon:
        # "Patience: the willingness to ..." defines the term before any sentence does.
        sentences = split_sentences(colon["rest"])
        first = sentences[0] if sentences else colon["rest"]
        if instruction := imperative(first[:1].upper() + first[1:]):
            found.append((-1, 0, "involves", instruction))
        elif first.split()[0].lower() in {"a", "an", "the"} or first.split()[0].endswith("ing"):
            found.append((-1, 1, ":", first))
        elif _gloss(first) and len(first.split()) >= 4:
            # "ACL: Specifies which users ..." or "Telemetry: Data emitted from a system":
            # a definition without a subject, asked as "Which term means: ...?".
            found.append((_GLOSS_RANK, 1, "gloss", first))
        for order, sentence in enumerate(sentences[1:], start=2):
            if instruction := imperative(sentence):
                found.append((_IMPERATIVE_RANK, order, "involves", instruction))
    # In "Term: text" passages the sentences are read without the "Term: " prefix, so that a
    # sentence is "about the term" only when its own words name it.
    body = colon["rest"] if colon else paragraph
    sentences = [
        re.sub(r"^In\s+[^,]{3,40},\s+(\w)", lambda m: m[1].upper(), sentence)
        for sentence in split_sentences(body)
    ]
    names_term_first = bool(sentences) and names_term(sentences[0], term)
    for order, sentence in enumerate(sentences):
        if match := defining.match(sentence):
            raw_verb = match["verb"] or match["doing"]
            verb = " ".join(raw_verb.lower().split())
            if verb == "is defined as":
                verb = "is"
            if match["verb"] and verb in VERBS:
                rank = VERBS.index(verb)
            elif verb == "describes":
                rank = VERBS.index("refers to")
            elif match["doing"] and re.fullmatch(r"[a-z]+s", verb) and verb not in DOING_VERBS:
                # Any verb in the third person ("Merging takes ...") describes what it does.
                lemma = getAllLemmas(verb, upos="VERB").get("VERB", ())
                if not lemma or verb in {"is", "was", "has", "does"}:
                    continue
                rank = DOING_RANK
            else:
                rank = DOING_RANK
            is_pronoun = match["subject"].lower() == "it"
            rest = match["rest"]
            # "It is important to ..." is a figure of speech, not a definition; "It" with a
            # verb of doing ("It also gives you ...") may point at anything said before.
            if is_pronoun and (rank >= VERBS.index("is") or not names_term_first):
                continue
            if verb in ("is", "are") and _NOT_A_DEFINITION.match(rest):
                continue
            if rest.lower().startswith("not "):
                continue
            found.append((rank, order, verb, rest))
        elif not re.search(r"\bby\s+[a-z]+ing\b", sentence) and (
            instruction := imperative(sentence)
        ):
            # (With "by ...ing" the means is the better stem: the rule below takes it.)
            found.append((_IMPERATIVE_RANK, order, "involves", instruction))
        elif order == 0 and (gloss := _gloss(sentence)) and not names_term(sentence, term):
            found.append((_GLOSS_RANK, order, "gloss", gloss))
        # "Resolve conflict by restating ..." describes the technique by its means.
        if (by := re.search(r"\bby\s+(?P<rest>[a-z]+ing\s+\w.*)$", sentence)) and (
            names_term(sentence, term) or imperative(sentence)
        ):
            found.append((BY_RANK, order, "consists of", by["rest"]))
    return sorted(found, key=lambda item: item[:2])


def section_definitions(*, term: str, paragraph: str, lead: str) -> list[Definition]:
    """Every clean definition of the term in its paragraph, best first; Skip if none.

    A definition is left out when it would show the answer word for word or starts with a
    pronoun that points at nothing in the stem.
    """
    if not paragraph:
        raise Skip("no paragraph under the heading")
    candidates = definition_candidates(term, paragraph)
    if not candidates:
        raise Skip(
            "no sentence defines it (X is/means/involves/is about/does, It involves, by …, "
            "an instruction, a glossary phrase)"
        )
    result = []
    named = dangling = False
    for _rank, _order, verb, rest in candidates:
        definition = Definition(verb, tidy(rest), lead)
        stem = definition.stem
        if not stem:
            continue
        if names_term(stem, term):
            named = True
            continue
        if _DANGLING.match(definition.clause) and verb != ":":
            dangling = True
            continue
        result.append(definition)
    if not result:
        if dangling and not named:
            raise Skip("its definition starts with a pronoun that points outside the stem")
        raise Skip("every defining sentence names the term itself")
    return result


def section_definition(*, term: str, paragraph: str, lead: str) -> Definition:
    return section_definitions(term=term, paragraph=paragraph, lead=lead)[0]


def section_stem(*, term: str, paragraph: str, noun: str | None) -> str:
    """The question for one section, or Skip saying why there is none."""
    lead = f"Which of the following {noun}" if noun else "Which of the following"
    return section_definition(term=term, paragraph=paragraph, lead=lead).stem
