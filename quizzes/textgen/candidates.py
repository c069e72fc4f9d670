"""Sentences that define a term, best first, and the reasons a section has none."""

import re
from dataclasses import dataclass

from lemminflect import getAllLemmas, getInflection

from .instructions import imperative, is_instruction_term, third_person_verb
from .stems import stem_from
from .words import (
    BY_RANK,
    DOING_RANK,
    DOING_VERBS,
    SINGULAR_KINDS,
    VERBS,
    Skip,
    is_statement,
    names_term,
    split_sentences,
    term_forms,
    term_pattern,
    tidy,
)


@dataclass(frozen=True)
class Definition:
    verb: str  # "involves", "means", "is", ":" ...
    clause: str  # what follows the verb, tidy, no final punctuation
    lead: str  # the stem's opening ("Which of the following techniques")
    rank: int = 0  # lower is better: how squarely the sentence defines the term
    source: str = "defines"  # how it was found (see definition_candidates)

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


# "This will help you think clearly", "Doing so shows the customer ...": in a section that
# gives advice, what following the advice does (a reason, asked as "Which ... helps ...?").
_REASON = re.compile(
    r"^(?:This|Doing\s+so|That)\s+(?:(?P<modal>will|can|may|should|also|often)\s+)?"
    r"(?:(?:also|often|further)\s+)?(?P<verb>help|helps|ensure|ensures|show|shows|allow|allows|"
    r"build|builds|demonstrate|demonstrates|prevent|prevents|reduce|reduces|give|gives|let|lets|"
    r"make|makes|keep|keeps|save|saves|improve|improves|encourage|encourages|create|creates|"
    r"signal|signals|avoid|avoids)\s+(?P<rest>[a-z].{8,})$"
)


def _third_person(verb: str) -> str:
    if verb.endswith("s"):
        return verb
    forms = getInflection(verb, tag="VBZ")
    return forms[0] if forms else f"{verb}s"


def _reasons(sentences: list[str]) -> list[tuple[int, int, str, str]]:
    found = []
    for order, sentence in enumerate(sentences):
        if (
            (match := _REASON.match(sentence))
            and not sentence.endswith("?")
            and match["modal"] not in ("can", "may")  # "This can help": a hedge, not a reason
        ):
            found.append((DOING_RANK, order, _third_person(match["verb"]), match["rest"], "reason"))
    return found


def _gloss(sentence: str) -> str | None:
    """ "A token that is used in place of a password." as a definition with no verb."""
    if not sentence.startswith("Also ") and re.search(
        r",\s+(?!(?:where|which|that|who|whose|when|as|if|while|because|since|for|unless|until|"
        r"though|although|i\.e|e\.g)\b)(?:(?!(?:where|which|that|who|as|for)\b)[\w'’-]+\s+){1,5}"
        r"(?:is|are|was|were)\b",
        sentence,
    ):
        return None  # "In the landscape of X, facing Y is inevitable": a statement
    if re.match(r"^(?:Some|Many|Most|All|These|Those|Several|Few|Both)\b", sentence):
        return None  # "Some attacks aim to ...": a statement about some things
    if sentence.split()[0].lower().endswith("ing") and _says_something(sentence):
        return None  # "Sending small changes allows you to ...": a statement, not a gloss
    glossary_opening = re.match(r"^(?:To\s+[a-z]+|Used\s+(?:to|for|by|in)|When|Also)\b", sentence)
    if not glossary_opening and not _names_a_thing(sentence):
        return None  # "You can't say yes ...", "Often, emotions ...": no noun phrase
    head = re.split(r",|\b(?:that|which|who|whom|whose|where|when|as|if|because)\b", sentence)[0]
    if not sentence.startswith("Also ") and re.search(
        r"\b(?:is|are|was|were|will|can|should|must)\b", head
    ):
        return None  # "The right size for a CL is one change": a statement, not a gloss
    if re.match(r"^(?:A|An|The|Any|One|Each)\s+\w+", sentence) and not is_statement(sentence):
        return sentence
    # "Executable code that is introduced ...", "Hardware, software, and/or firmware that ..."
    if re.match(
        r"^[A-Z][\w,/’'-]*(?:\s+[\w,/’'-]+){0,4}?\s+(?:that|which|who|used|of|for|to)\b",
        sentence,
    ) and not is_statement(sentence):
        return sentence
    return None


def _says_something(text: str) -> bool:
    """ "Sending small portions allows you to ...": a sentence with its own verb, not the
    noun or -ing phrase a "Term: ..." definition is."""
    before_relative = re.split(r"\b(?:that|which|who|whom|whose|where|when)\b", text)[0]
    words = re.findall(r"[\w'’-]+", before_relative.lower())[1:8]
    return bool(
        re.search(r"\b(?:is|are|was|were|will|can|should|must|has|have)\b", before_relative)
        or any(third_person_verb(word) for word in words)
    )


_DETERMINERS = {"a", "an", "the", "any", "every", "each", "one", "some", "all", "two", "three"}


_PREPOSITIONS = set(
    "despite although about above across after against along among around at before behind "
    "below beneath beside between beyond by during except for from in inside into like near of "
    "off on onto outside over since through throughout to toward towards under until upon with "
    "within without whereas while when because if unless".split()
)


def _names_a_thing(rest: str) -> bool:
    """What follows "means"/"is" may be a definition: not a pronoun ("means you can't say
    yes"), a preposition ("means despite our efforts") or an adjective run on into a phrase
    ("is orthogonal to the layered approach")."""
    words = re.findall(r"[\w'’-]+", rest.lower())
    if not words:
        return False
    first, following = words[0], (words[1] if len(words) > 1 else "")
    if first in _DETERMINERS or (first.endswith("ing") and len(first) > 4):
        return True
    if first in {"you", "we", "they", "it", "he", "she", "i", "this", "that", "there", "not"}:
        return False
    noun = bool(getAllLemmas(first, upos="NOUN"))
    if first in _PREPOSITIONS:
        return False
    if getAllLemmas(first, upos="ADV") and not noun and not getAllLemmas(first, upos="ADJ"):
        return False
    return not (
        getAllLemmas(first, upos="ADJ") and not noun and following in {"to", "with", "from", "than"}
    )


def definition_candidates(term: str, paragraph: str) -> list[tuple[int, int, str, str, str]]:
    """(rank, order, verb, rest, source) for every sentence that reads as a definition of the
    term. The source says how it was found: "defines" (the sentence's subject names the term
    and a defining verb follows), "doing" (it names the term and says what it does), "colon"
    ("Term: ..."), "gloss" (a definition with no verb), "instruction", "by", "reason"."""
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
            found.append((-1, 0, "involves", instruction, "colon"))
        elif (
            first.split()[0].lower() in {"a", "an", "the"} or first.split()[0].endswith("ing")
        ) and not _says_something(first):
            found.append((-1, 1, ":", first, "colon"))
        elif _gloss(first) and len(first.split()) >= 4:
            # "ACL: Specifies which users ..." or "Telemetry: Data emitted from a system":
            # a definition without a subject, asked as "Which term means: ...?".
            found.append((_GLOSS_RANK, 1, "gloss", first, "gloss"))
        for order, sentence in enumerate(sentences[1:], start=2):
            if instruction := imperative(sentence):
                found.append((_IMPERATIVE_RANK, order, "involves", instruction, "instruction"))
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
            if verb == "means" and re.search(r"^that\b|\b(?:is|are|was)\s+that\b", rest):
                continue  # "X means the good news about Y is that ...": a remark
            if verb in ("means", "is", "are") and not _names_a_thing(rest):
                continue  # "X means you can't say yes", "X is orthogonal to ...": no definition
            if rest.lower().startswith("not "):
                continue
            found.append((rank, order, verb, rest, "defines" if rank < DOING_RANK else "doing"))
        elif not re.search(r"\bby\s+[a-z]+ing\b", sentence) and (
            instruction := imperative(sentence)
        ):
            # (With "by ...ing" the means is the better stem: the rule below takes it.)
            found.append((_IMPERATIVE_RANK, order, "involves", instruction, "instruction"))
        elif order == 0 and (gloss := _gloss(sentence)) and not names_term(sentence, term):
            found.append((_GLOSS_RANK, order, "gloss", gloss, "gloss"))
        # "Resolve conflict by restating ..." describes the technique by its means.
        if (by := re.search(r"\bby\s+(?P<rest>[a-z]+ing\s+\w.*)$", sentence)) and (
            names_term(sentence, term) or imperative(sentence)
        ):
            found.append((BY_RANK, order, "consists of", by["rest"], "by"))
    if is_instruction_term(term):
        found.extend(_reasons(sentences))
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
    for rank, _order, verb, rest, source in candidates:
        if rest.rstrip().endswith("?"):
            continue  # a rhetorical question is no definition
        if verb.startswith("can ") and is_instruction_term(term):
            continue  # "Stay Calm can make the customer feel valued": true of most advice
        definition = Definition(verb, tidy(rest), lead, rank, source)
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
