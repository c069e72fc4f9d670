"""Statements: a key sentence of the chapter asked as true or false, made false by turning
its one polar word ("should" -> "should not", "faster" -> "slower", "before" -> "after").

A statement turned this way says the opposite of what the text says, so it is clearly false
to anyone who understood the passage, and it stays grammatical because one word changes.
A sentence is used only when it stands on its own (no "This ..." leaning on the sentence
before it), teaches something (a rule, a reason, a comparison) and has exactly one word the
rules know how to turn: two would leave the turned sentence half true.
"""

import random
import re
from dataclasses import dataclass

from lemminflect import getAllLemmas

from .instructions import is_instruction, third_person_verb
from .words import split_sentences, verb_lemma

# Words that begin a sentence which leans on the one before it.
_LEANING = {
    "this", "that", "these", "those", "it", "its", "they", "them", "their", "he", "she",
    "his", "her", "such", "here", "there", "also", "however", "but", "and", "or", "so",
    "then", "instead", "otherwise", "thus", "therefore", "hence", "similarly", "likewise",
    "again", "still", "yet", "for", "as", "both", "each", "other", "another", "which",
    "what", "why", "how", "see", "note", "example", "e.g", "i.e", "in", "on", "at", "with",
    "one", "some", "many", "most", "first", "second", "finally", "next", "sometimes",
    "rather", "especially", "moreover", "furthermore", "additionally", "indeed", "overall",
    "yes", "no", "now", "today", "after", "before", "once",
}  # fmt: skip
_VERB = (
    r"(?=\s+(?!(?:also|probably|usually|often|still|even|just|only|really|always|never|be\b|"
    r"not\b|they\b|you\b|we\b|it\b|he\b|she\b|i\b))[a-z]+\b)"
)
# Before a noun phrase, an -ing form or a clause: "before you merge", "after the call".
_OBJECT = r"(?=\s+(?:the|a|an|your|their|its|our|this|that|each|every|any|[a-z]+ing|you|we|they)\b)"
# One polar word and its opposite. Each turn is kept only where it reads as plain English:
# a modal before a verb, a comparative inside a comparison ("... than ..."), "before"/"after"
# before what they order. Words that turn badly ("does not necessarily", "if it helps",
# "could do better") are left out on purpose.
_TURNS = [
    (rf"\bshould not{_VERB}", "should"), (rf"\bshouldn['’]t{_VERB}", "should"),
    (rf"\bshould{_VERB}", "should not"),
    (rf"\bmust not{_VERB}", "must"), (rf"\bmust{_VERB}", "must not"),
    (r"\b(?<=is )not\s+(?=(?:a|an|the)\b)", ""), (r"\b(?<=are )not\s+(?=(?:a|an|the)\b)", ""),
    (r"(?<!not )(?<!almost )\balways\b", "never"), (r"(?<!^)(?<!almost )\bnever\b", "always"),
    (r"\bfaster\b(?=.*\bthan\b)", "slower"), (r"\bslower\b(?=.*\bthan\b)", "faster"),
    (r"\beasier\b(?=.*\bthan\b)", "harder"), (r"\bharder\b(?=.*\bthan\b)", "easier"),
    (r"\bbetter\b(?=.*\bthan\b)", "worse"), (r"\bworse\b(?=.*\bthan\b)", "better"),
    (r"\blarger\b(?=.*\bthan\b)", "smaller"), (r"\bsmaller\b(?=.*\bthan\b)", "larger"),
    (r"\bhigher\b(?=.*\bthan\b)", "lower"), (r"\blower\b(?=.*\bthan\b)", "higher"),
    (r"\bincreases\b", "decreases"), (r"\bdecreases\b", "increases"),
    (r"\b(?<=to )increase\b", "decrease"), (r"\b(?<=to )decrease\b", "increase"),
    (r"\breduces\b", "increases"),
    # Only where the sentence opens with it: "Before you respond, ..." -> "After you respond".
    (rf"^Before{_OBJECT}", "After"), (rf"^After{_OBJECT}", "Before"),
    (r"^(?<=)(?:It['’]s|It is) important to\b", "It is unimportant to"),
]  # fmt: skip
# Phrases in which a polar word is no claim: "more than one", "no more", "before you ask".
_FROZEN = re.compile(
    r"\b(?:more\s+than|less\s+than|no\s+more|any\s+more|once\s+more|not\s+only|"
    r"long\s+before|shortly\s+after|after\s+all|better\s+yet|what\s+is\s+more|"
    r"should\s+(?:you|they|we|it)|if\s+it|whether|so\s+that|in\s+order\s+to|because|"
    r"in\s+question)\b",
    re.IGNORECASE,
)
MIN_WORDS, MAX_WORDS = 8, 32


@dataclass(frozen=True)
class Statement:
    sentence: str  # as the text has it
    turned: str | None  # the same sentence saying the opposite (None: no word to turn)
    anchor: str
    # What a true item shows, when not the sentence itself (advice: "According to ...").
    shown: str = ""

    @property
    def true_text(self) -> str:
        return self.shown or self.sentence


# Hedged sentences turn into nothing clearly false: "is not usually", "does not often".
_HEDGED = re.compile(
    r"\b(?:usually|often|sometimes|may|might|generally|typically|probably|likely|perhaps|"
    r"some|many|most|several|few|can be|could|would|tend to|almost|nearly|rarely|especially|"
    r"particularly)\b",
    re.IGNORECASE,
)
_SUBORDINATE_START = re.compile(
    r"^(?:When|If|While|Although|Though|Because|Since|Unless|As|Once|Whenever|Whether|Even)\b"
)
# The main clause's copula or modal, after a subject of two to six words.
_MAIN_VERB = re.compile(
    r"^(?P<subject>(?:[\w'’-]+\s+){1,6}?)(?P<verb>is|are|will|should|must)\s+(?!not\b)",
)


_NOT_MAIN_VERBS = {
    "is", "are", "was", "were", "has", "have", "does", "do", "can", "could", "will", "would",
    "should", "must", "may", "might", "shall", "need", "dare",
}  # fmt: skip
_DETERMINER = {"the", "a", "an", "most", "many", "some", "every", "each", "good", "small", "large"}


def _present_verb(sentence: str) -> tuple[int, str, str] | None:
    """(word index, lemma, "do"/"does") of the main verb in "Slow reviews discourage
    cleanups" or "A calm reply lowers the tension": a subject of one to five noun-like words,
    then a verb in the present."""
    words = sentence.split()
    for index in range(1, min(6, len(words) - 1)):
        word = re.sub(r"[^a-z]", "", words[index].lower())
        before = re.sub(r"[^a-z]", "", words[index - 1].lower())
        subject = [re.sub(r"[^a-z]", "", w.lower()) for w in words[:index]]
        if not word or not all(
            w in _DETERMINER or getAllLemmas(w, upos="NOUN") or getAllLemmas(w, upos="ADJ")
            for w in subject
        ):
            return None
        if subject[0] in ("only", "just", "also") or {"that", "which", "who"} & set(subject):
            return None
        lemmas = getAllLemmas(word, upos="VERB").get("VERB", ())
        if not lemmas or word in _NOT_MAIN_VERBS:
            continue
        noun_before = getAllLemmas(before, upos="NOUN")
        if word.endswith("s") and word != lemmas[0] and noun_before and not before.endswith("s"):
            return index, lemmas[0], "does"
        if word == lemmas[0] and before.endswith("s") and noun_before:
            return index, word, "do"
    return None


def negate(sentence: str) -> str | None:
    """ "A shell is a program ..." -> "A shell is not a program ...": the main clause's
    copula or modal denied, for a plain statement (no hedge, no leading subordinate clause,
    no "that/which" before the verb)."""
    if _HEDGED.search(sentence) or re.search(
        r";|:|,\s+(?:and|but|it|it['’]s|which|so)\b|\band\s+it['’]s\b", sentence
    ):
        return None
    match = _MAIN_VERB.match(sentence)
    if not match and " and not " not in sentence and (found := _present_verb(sentence)):
        index, lemma, auxiliary = found
        words = sentence.split()
        tail = words[index][len(re.sub(r"[^A-Za-z].*$", "", words[index])) :]
        return " ".join([*words[:index], f"{auxiliary} not {lemma}{tail}", *words[index + 1 :]])
    if not match or re.search(r"\b(?:that|which|who|what|where|if|when)\b", match["subject"], re.I):
        return None
    predicate = sentence[match.end("verb") :]
    if re.match(r"\s*(?:only|also|just|even|still|always|never)\b", predicate):
        return None  # "is not only ..." reads as the start of "not only ... but also"
    if re.search(r"\b(?:that|which|who|whom|where)\b", predicate):
        return None  # "is not a law that is enforced ...": not what, the law or the enforcing?
    if match["verb"] in ("will", "should", "must"):
        following = re.match(r"\s*([A-Za-z]+)", sentence[match.end() :])
        if not following or not verb_lemma(following[1]):
            return None
    return f"{sentence[: match.end('verb')]} not{sentence[match.end('verb') :]}"


def turn(sentence: str) -> str | None:
    """The sentence with its one polar word turned, or its main verb denied when it has no
    polar word; None when neither reads as a clear opposite."""
    if _FROZEN.search(sentence):
        return None
    if _SUBORDINATE_START.match(sentence) and not re.match(r"(?:Before|After)\b", sentence):
        return None  # "If you determine that ... is a violation, ...": the claim is conditional
    hits = []
    taken: list[tuple[int, int]] = []
    for pattern, opposite in _TURNS:
        for match in re.finditer(pattern, sentence, re.IGNORECASE):
            span = (match.start(), match.end())
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue  # "should not" already counted, not "should" inside it again
            taken.append(span)
            hits.append((match, opposite))
    if not hits:
        return negate(sentence)
    if len(hits) != 1:
        return None
    match, opposite = hits[0]
    if re.match(r"(?i)(should|must)", match[0]):
        following = re.match(r"\s+([A-Za-z]+)", sentence[match.end() :])
        if not following or not verb_lemma(following[1]):
            return None  # "than you should on a project": no verb to deny
    if match[0][:1].isupper():
        opposite = opposite[:1].upper() + opposite[1:]
    turned = sentence[: match.start()] + opposite + sentence[match.end() :]
    return turned[:1].upper() + turned[1:]


# Words that point at something the statement alone does not name: "these guidelines".
_POINTING = re.compile(
    r"\b(?:this|these|those|such|above|below|former|latter|aforementioned|here|just that|"
    r"in question|also|instead|saying|the following)\b|\$|^Being\b|;",
    re.IGNORECASE,
)
# A personal pronoun is fine after a noun phrase of its own sentence ("A maintainer ... their
# time"), not before one ("They will thank you").
_PRONOUN = re.compile(r"\b(?:they|them|their|theirs|it|its|he|she|him|her)\b", re.IGNORECASE)
_NOUN_PHRASE = re.compile(
    r"\b(?:the|a|an|each|every|any|another|other|some|many|most|all)\s+[\w'’-]+",
    re.IGNORECASE,
)


def _anchored(sentence: str) -> bool:
    return all(
        _NOUN_PHRASE.search(sentence[: match.start()]) for match in _PRONOUN.finditer(sentence)
    )


# "The main purpose is ...", "Key features are ...", "The framework is ...": a short definite
# subject that names its topic only in the sentences around it.
_CONTEXT_SUBJECT = re.compile(
    r"^(?:The|Key|Main|Its|Their)\s+(?:[\w-]+\s+)?[\w-]+\s+(?:is|are|was|were)\b"
)


def _stands_alone(sentence: str) -> bool:
    words = sentence.split()
    return (
        not _CONTEXT_SUBJECT.match(sentence)
        and not sentence.startswith("Only ")
        and not _POINTING.search(sentence)
        and _anchored(sentence)
        and MIN_WORDS <= len(words) <= MAX_WORDS
        and not sentence.rstrip().endswith(("?", ":"))
        and words[0].lower().strip(',.:;"“(') not in _LEANING
        and not re.search(r"[`|*_\[\]<>{}]|\.\.\.|…", sentence)
        and sentence[:1].isupper()
        and sentence.rstrip()[-1:] in ".!"
        # An instruction is advice, neither true nor false ("Ask the customer ...", "Don't
        # worry ...").
        and not is_instruction(sentence)
        and not re.match(r"(?:Don['’]t|Do not|Never|Please|Let['’]s)\b", sentence)
        # "Decreases confidence in ...": a list item with no subject, not a statement
        and not (words[0].lower().endswith("s") and verb_lemma(words[0].lower()[:-1]))
        and not third_person_verb(words[0])
    )


# A sentence that states a rule, a reason, a comparison or a definition teaches something.
_TEACHING = re.compile(
    r"\b(?:should|must|never|always|because|so that|helps?|prevents?|means|is called|"
    r"are called|known as|refers? to|is an?|are|important|instead of|rather than|ensures?|"
    r"allows?|lets?|requires?|reduces?|increases?|makes? it|easier|harder|better|worse|than)\b",
    re.IGNORECASE,
)


def chapter_statements(*, paragraphs: list[tuple[str, str, bool]]) -> list[Statement]:
    """Every sentence of the chapter that stands alone and teaches something, with its
    turned form when it has exactly one polar word."""
    found = []
    seen: set[str] = set()
    for anchor, paragraph, listed in paragraphs:
        if listed:
            continue  # a list item leans on the sentence that introduces the list
        for sentence in split_sentences(paragraph):
            # "Lack of positive feedback: Users are ..." -> the sentence after the label.
            while label := re.match(r"^[A-Z][\w'’ -]{2,40}:\s+(?=[A-Z])", sentence):
                sentence = sentence[label.end() :]
            if sentence.casefold() in seen or not _stands_alone(sentence):
                continue
            turned = turn(sentence)
            if turned or _TEACHING.search(sentence):
                seen.add(sentence.casefold())
                found.append(Statement(sentence, turned, anchor))
    return found


def statement_truths(statements: list[Statement], *, seed: str) -> list[bool]:
    """For each turnable statement, whether the item shows it as written (True) or turned
    (False): as many of one as of the other (one more True when odd), which ones chosen by
    the seed, so that the same text gives the same items."""
    indices = list(range(len(statements)))
    random.Random(seed).shuffle(indices)
    turned = set(indices[: len(statements) // 2])
    return [index not in turned for index in range(len(statements))]


# Advice: "Wait for a break point before responding." becomes the claim "According to
# the course, you should wait for a break point before responding." (true) or
# "..., you should not wait ..." (false). A claim about what the text advises is true or
# false; the bare instruction is neither.
_ADVICE_LEAD = re.compile(
    r"^(?P<lead>(?:If|When|Whenever|Before|After|While|Once|Unless|Until|As\s+soon\s+as|"
    r"Even\s+if|Even\s+when|In\s+[a-z]+\s+[a-z]+)\b[^,]{3,80}),\s+"
    r"(?P<rest>[A-Za-z].+)$"
)
_NEGATIVE = re.compile(
    r"^(?:Don['’]t|Do\s+not|Never|You\s+should\s+not|You\s+shouldn['’]t)\s+(?P<rest>[a-z].+)$"
)
_SHOULD = re.compile(r"^You\s+should\s+(?P<rest>[a-z].+)$")
_COORDINATED = re.compile(r"(?:,\s*(?:and|or|then)?|\band\b|\bor\b|\bthen\b)\s+([a-z]+)\s+([a-z]+)")


def _one_action(action: str) -> bool:
    """ "ask the customer, then take notes": two instructions in one sentence make a denied
    version half true."""
    for match in _COORDINATED.finditer(action):
        word, following = match[1], match[2]
        if (
            verb_lemma(word)
            and word not in ("be", "is")
            and (
                following in ("the", "a", "an", "your", "their", "it", "them", "to", "with", "up")
                or following.endswith("ly")
            )
        ):
            return False
    return True


def advice(sentence: str) -> tuple[str, str] | None:
    """(true claim, false claim) about the advice of one instruction, or None."""
    sentence = sentence.strip().rstrip(".!")
    lead = ""
    if _ADVICE_LEAD.match(sentence):
        # The lead-in runs to the comma after which the instruction starts: "If you are in
        # the middle of a focused task, such as writing code, don't interrupt yourself".
        parts = sentence.split(", ")
        for index in range(1, len(parts)):
            if index > 1 and re.search(
                r"\b(?:is|are|was|were|has|have|will|can|should|must|it|you|we|they)\b",
                parts[index - 1],
                re.IGNORECASE,
            ):
                return None  # "..., it is your, not their, job to ...": a clause, not a lead-in
            rest = ", ".join(parts[index:])
            head = rest[:1].upper() + rest[1:]
            if (
                _NEGATIVE.match(head)
                or _SHOULD.match(head)
                or (is_instruction(head) and not _ADVICE_LEAD.match(head) and head[:1].isalpha())
            ):
                lead = ", ".join(parts[:index])
                lead = lead[:1].lower() + lead[1:] + ", "
                sentence = head
                break
        else:
            return None
    if "," in " ".join(sentence.split()[:5]):
        return None  # a lead-in this rule does not move ("Wherever you can, use ...")
    negative = _NEGATIVE.match(sentence)
    if negative:
        action = negative["rest"]
    elif should := _SHOULD.match(sentence):
        action = should["rest"]
    elif is_instruction(sentence):
        action = sentence[:1].lower() + sentence[1:]
    else:
        return None
    first = action.split()[0].lower().strip(",;:")
    if first in ("be", "please", "feel", "remember", "note") or re.match(
        r"(?:try|keep)\s+(?:instead|in\s+mind)\b", action
    ):
        return None  # "be kind, but firm", "keep in mind that ...": denied, they read badly
    if not _one_action(action) or re.search(r"[;:()]", action):
        return None
    # "The course", not the chapter's title: a title may be a fragment of its first line
    # (judged an artefact), and the exam mixes chapters, where "this chapter" means nothing.
    where = f"According to the course, {lead}you should"
    right, wrong = (f"{where} not {action}.", f"{where} {action}.")
    return (right, wrong) if negative else (wrong, right)


# Examples and references, not advice: "Send 1 ETH from my account to X", "see the README".
_EXAMPLE = re.compile(
    r"\b(?:my|me|I|X|Y|Z|README|e\.g|for example)\b|\bsee\s+(?:the|our|also|below|above|[A-Z])"
)


def chapter_advice(*, paragraphs: list[tuple[str, str, bool]]) -> list[Statement]:
    """Each standalone instruction of the chapter as a claim about what the chapter advises."""
    found = []
    seen: set[str] = set()
    for anchor, paragraph, _listed in paragraphs:
        if re.match(r"^[^.!?]{1,60}\s[–—-]\s", paragraph):
            continue  # "Input Validation – The ...": a glossary entry, not advice
        for sentence in split_sentences(paragraph):
            words = sentence.split()
            if (
                _EXAMPLE.search(sentence)
                or sentence.casefold() in seen
                or not 6 <= len(words) <= 28
                or sentence.rstrip()[-1:] not in ".!"
                or _POINTING.search(sentence)
                or not _anchored(sentence)
                or re.search(r"[`|*_\[\]<>{}\"“”]|\.\.\.|…", sentence)
            ):
                continue
            if claims := advice(sentence):
                seen.add(sentence.casefold())
                found.append(Statement(sentence, claims[1], anchor, shown=claims[0]))
    return found
