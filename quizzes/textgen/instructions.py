"""Instructions: telling a sentence that tells the reader what to do from one that states,
and turning it into the -ing form a stem needs ("Listen actively" -> "listening actively").

Word classes come from lemminflect's lexicon (shipped with the package). English spells many
adjectives, adverbs and prepositions like verbs ("Even if ...", "Open communication ...",
"Like a checklist ..."); those are instructions only where an object follows them.
"""

import re

from lemminflect import getAllLemmas

from .words import gerund, verb_lemma

# Capitalised words that look like verbs but start no instruction worth a stem.
_NOT_IMPERATIVES = {
    "don't", "do", "never", "may", "might", "must", "can", "could", "should", "would", "will",
    "shall", "see", "note", "read", "learn", "click", "visit", "check", "refer", "like", "even",
    "just", "only", "still", "well", "further", "rather", "since", "for", "have", "being",
    "let's", "lets", "thanks", "welcome", "please", "imagine", "say", "suppose", "back",
    "while", "whilst", "although", "though", "if", "when", "whenever", "where", "wherever",
    "once", "as", "because", "unless", "until", "whether", "so", "yet", "but",
}  # fmt: skip
# Words spelled like verbs that are more often adjectives or adverbs: an instruction only
# when an object follows ("Open the file", not "Open communication builds trust").
_AMBIGUOUS = {
    "open", "close", "clear", "better", "free", "right", "last", "next", "first", "present",
    "mean", "light", "fine", "fair", "direct", "double", "empty", "slow", "quiet", "live",
    "lower", "level", "even", "second", "content", "short", "long", "best", "most", "more",
    "less", "clean", "dry", "wrong", "back", "down", "out", "over", "round", "up", "set",
    "good", "bad", "plain", "simple", "real", "complete", "correct", "separate", "perfect",
}  # fmt: skip
# What follows a verb used as an instruction: an object, a particle or an adverb.
OBJECT_START = {
    "the", "a", "an", "your", "their", "its", "any", "all", "every", "each", "them", "it",
    "yourself", "yourselves", "with", "to", "on", "up", "down", "out", "in", "for", "what",
    "how", "that", "this", "these", "those", "one", "some", "someone", "people", "others",
    "off", "back", "away", "about", "into", "from", "why", "when", "whether", "if", "our",
    "my", "his", "her", "him", "me", "us", "who", "time", "questions", "feedback",
}  # fmt: skip
_FINITE = re.compile(r"\b(is|are|was|were|can|will|should|may|might|must|has|have|does)\b")
_LEADING_CLAUSE = re.compile(
    r"^(?P<lead>(?:After|Before|When|Whenever|Once|If|While|During|In|Even\s+if|Even\s+when|"
    r"Whatever|Wherever|Unless|Until|As\s+soon\s+as)\b[^,]{3,80}),\s+(?P<rest>[a-z].+)$"
)


def _bare(word: str) -> str:
    return re.sub(r"[^A-Za-z]", "", word)


def third_person_verb(word: str) -> bool:
    """ "builds", "helps": a verb in the third person that no noun reading explains."""
    lowered = word.lower().strip(",.;:")
    return (
        lowered.endswith("s")
        and bool(getAllLemmas(lowered, upos="VERB"))
        and not getAllLemmas(lowered, upos="NOUN")
    )


def _leads_an_instruction(words: list[str]) -> bool:
    if re.search(r"['’]", words[0]) and not re.match(r"(?i)don['’]t$", words[0]):
        return False  # "We'll start ...", "It's ...": a contraction is no order
    first = _bare(words[0]).lower()
    if not first or not words[0][:1].isupper() or words[0].lower().strip(",:") in _NOT_IMPERATIVES:
        return False
    if verb_lemma(first) is None:
        return False
    following = words[1].lower().strip(",.;:") if len(words) > 1 else ""
    if first in _AMBIGUOUS and following not in OBJECT_START:
        return False
    if following in {"if", "though", "than", "because"} or (
        first == "thank" and following == "you"
    ):
        return False  # "Even if ...", "Like as ...": a subordinate clause, not an order
    second = re.sub(r"[^a-z]", "", following)
    if (
        getAllLemmas(first, upos="NOUN")
        and second
        and second not in OBJECT_START
        and getAllLemmas(second, upos="NOUN")
        and not (getAllLemmas(second, upos="ADJ") or getAllLemmas(second, upos="ADV"))
        and not second.endswith("ly")
        and len(words) > 3
        and any(verb_lemma(re.sub(r"[^a-z]", "", w.lower())) for w in words[2:5])
    ):
        return False  # "Version control systems start with ...": a noun compound, then its verb
    rest = words[1:5]
    for index, word in enumerate(rest):
        if word.lower().strip(",") in ("that", "which", "who", "where", "when", "if", "than"):
            rest = rest[:index]  # "Write CLs that are small": the verb is the relative's
            break
    # "Clear communication is key", "Open communication builds trust": statements.
    return not (_FINITE.search(" ".join(rest)) or any(third_person_verb(w) for w in rest[:3]))


def is_instruction(sentence: str) -> bool:
    """The sentence tells the reader what to do ("Ask clarifying questions.")."""
    sentence = sentence.strip()
    if not sentence or sentence.endswith("?"):
        return False
    if lead := _LEADING_CLAUSE.match(sentence):
        sentence = lead["rest"][:1].upper() + lead["rest"][1:]
    words = sentence.split()
    return bool(words) and _leads_an_instruction(words)


def imperative(sentence: str) -> str | None:
    """ "Ensure that X and work with Y." -> "ensuring that X and working with Y".

    A leading clause moves to the end: "After resolving it, evaluate the situation." ->
    "evaluating the situation, after resolving it". Questions are never instructions.
    """
    if sentence.rstrip().endswith("?"):
        return None
    if lead := _LEADING_CLAUSE.match(sentence):
        converted = imperative(lead["rest"][:1].upper() + lead["rest"][1:])
        if converted:
            tail = lead["lead"][:1].lower() + lead["lead"][1:]
            return f"{converted.rstrip('.')}, {tail}"
        return None
    words = sentence.split()
    if not words or not _leads_an_instruction(words):
        return None
    first = _bare(words[0])
    converted = [gerund(first) + words[0][len(first) :] if words[0].startswith(first) else ""]
    if not converted[0]:
        return None
    for index, word in enumerate(words[1:], start=1):
        previous = words[index - 1].lower()
        bare = _bare(word)
        following = words[index + 1].lower().strip(",.;:") if index + 1 < len(words) else ""
        # Coordinated instructions: "... and work with Y", "speak slowly, lower your voice".
        coordinated = previous.rstrip(",") in {"and", "or", "then"} or (
            previous.endswith(",") and following in OBJECT_START
        )
        if (
            coordinated
            and bare
            and bare == word.rstrip(",.;")
            and bare.lower() not in _NOT_IMPERATIVES
            and verb_lemma(bare)
            and (
                following in OBJECT_START
                or following.endswith(("ly", "ing"))
                or (not getAllLemmas(bare.lower(), upos="NOUN") and bare.lower() not in _AMBIGUOUS)
            )
        ):
            converted.append(gerund(bare) + word[len(bare) :])
        else:
            converted.append(word)
    return " ".join(converted)


def is_instruction_term(term: str) -> bool:
    """A term that is advice ("Stay Calm", "Listen Actively", "Be patient"), not a name.

    One word alone is read as a name: "Chart", "Release" and "Trace" are verbs too, and a
    glossary heading names a thing far more often than it gives an order.
    """
    words = term.split()
    if len(words) < 2 or not is_instruction(term):
        return False
    first, second = _bare(words[0]).lower(), _bare(words[1]).lower()
    # "Release Number" and "Chart Version" are names built from a noun; "Stay Calm",
    # "Document the Interaction" and "Follow Up" are orders: a verb that is no noun, or one
    # followed by an object word, an adjective, an adverb or a particle.
    return (
        not getAllLemmas(first, upos="NOUN")
        or second in OBJECT_START
        or bool(getAllLemmas(second, upos="ADJ") or getAllLemmas(second, upos="ADV"))
        or second.endswith("ly")
    )
