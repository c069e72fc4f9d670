"""Words and their forms: stop words, a term's inflections, sentence splitting, word roots."""

import re
from functools import cache

import inflect
import pysbd
from lemminflect import getAllLemmas, getInflection

DISTRACTORS = 3

# Plural nouns that name "terms of a kind" in titles such as "24 Conflict Resolution
# Techniques" or "Strategies for De-Escalating Customer Situations".
KIND_NOUNS = (
    "techniques|strategies|tips|methods|skills|steps|approaches|tactics|practices|"
    "principles|habits|rules|tools|concepts|phrases|stages|keys|secrets|behaviours|behaviors"
)
NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty dozen dozens "
    "hundred several few many"
).split()
# Words dropped in front of the kind noun: "24 Effective Techniques" asks about "techniques".
PRAISE_WORDS = set(
    "effective essential proven key best simple powerful practical important top great useful "
    "common basic quick easy smart good vital crucial main core successful new".split()
)
STOP_WORDS = set(
    "a an the of for to and or in on with some these those our your their its this that many "
    "several few more most other all any which what how why about into my we you here there "
    "following such them they are is be can will at by from as".split()
)
# Headings that frame an article rather than name one of its terms.
NOT_TERMS = {
    "conclusion",
    "in conclusion",
    "introduction",
    "summary",
    "overview",
    "final thoughts",
    "key takeaways",
    "takeaways",
    "references",
    "further reading",
    "faq",
    "frequently asked questions",
    "next steps",
    "table of contents",
    "resources",
}
# "The broken record technique involves ..." names the term with its kind after it.
SINGULAR_KINDS = (
    "technique|strategy|tip|method|skill|step|approach|tactic|practice|principle|habit|"
    "rule|tool|concept|phrase|stage"
)
# Defining verbs, best first: "involves" says what a technique is made of, a bare "is"
# often only praises it ("Active listening is the cornerstone of ...").
VERBS = ("involves", "consists of", "means", "refers to", "is about", "is", "are")
# Then what it does ("Staying calm helps you think clearly"): a fair stem, not a definition.
DOING_VERBS = (
    r"helps|ensures|shows|allows|lets|gives|builds|creates|demonstrates|requires|reduces|"
    r"prevents|turns|makes|can\s+[a-z]+"
)
DOING_RANK = len(VERBS)
BY_RANK = DOING_RANK + 1


class Skip(Exception):
    """A section that cannot become a clean item; the message says why."""


LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def plain(text: str) -> str:
    """Inline Markdown reduced to the words a learner reads."""
    text = LINK.sub(r"\1", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)", "", text)
    return " ".join(text.split())


def clean_heading(text: str) -> str:
    text = re.sub(r"\s*\{#[^}]*\}\s*$", "", text)
    text = plain(text)
    text = re.sub(r"^\d+\s*[.)]\s*", "", text)
    return text.strip().rstrip(":").strip()


# --- the stem --------------------------------------------------------------------------


def _word_pattern(word: str) -> str:
    # Straight and curly apostrophes are the same letter to a reader; -ize and -ise too.
    pattern = "['’]".join(re.escape(part) for part in re.split(r"['’]", word))
    return re.sub(r"i[sz](e|ing|ed|es|ation)", r"i[sz]\1", pattern)


def term_pattern(term: str) -> str:
    return r"(?<!\w)" + r"\s+".join(_word_pattern(word) for word in term.split()) + r"(?!\w)"


def verb_lemma(word: str) -> str | None:
    """The word's verb lemma when it is a verb in its base form ("ensure", "work")."""
    lowered = word.lower()
    lemmas = getAllLemmas(lowered, upos="VERB").get("VERB", ())
    return lowered if lowered in lemmas else None


def gerund(verb: str) -> str:
    lowered = verb.lower()
    if forms := getInflection(lowered, tag="VBG"):
        return forms[0]
    if lowered.endswith("e") and not lowered.endswith(("ee", "ye", "oe")) and len(lowered) > 2:
        return lowered[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnpt]", lowered):
        return lowered + lowered[-1] + "ing"  # set -> setting, plan -> planning
    return lowered + "ing"


def term_forms(term: str) -> list[str]:
    """The ways a sentence names the term: "Stay Calm" also as "Staying calm".

    A heading that starts with an instruction ("Use Positive Language") is also named
    by its object ("Positive language can transform ...").
    """
    forms = [term, *_number_forms(term)]
    if "-" in term and " " not in term:
        # "Follow-Up" is named by "following up", "Time-Out" by "time out".
        forms.extend(form for form in term_forms(term.replace("-", " ")) if form not in forms)
    first, *others = term.split()
    if first.isalpha() and not first.lower().endswith("ing") and (others or verb_lemma(first)):
        forms.append(" ".join([gerund(first), *others]))
        # ("Graphical User Interface" is a name: an adjective first, so no object to name it.)
        if (
            len(others) >= 2
            and others[0].lower() not in STOP_WORDS
            and verb_lemma(first)
            and not getAllLemmas(first.lower(), upos="ADJ")
        ):
            forms.append(" ".join(others))
    return forms


_INFLECT = inflect.engine()


@cache
def _number_forms(term: str) -> tuple[str, ...]:
    """ "Issue" also as "Issues", "Alerts" also as "Alert": the last word in the other number.

    Only for nouns: a term that starts with a verb ("Stay Calm") is an instruction."""
    words = term.split()
    last = words[-1]
    if not last.isalpha() or len(last) < 3 or (len(words) > 1 and verb_lemma(words[0])):
        return ()
    if not getAllLemmas(last.lower(), upos="NOUN"):
        return ()
    singular = _INFLECT.singular_noun(last)
    other = singular if singular else _INFLECT.plural_noun(last)
    if not other or other.casefold() == last.casefold():
        return ()
    return (" ".join([*words[:-1], other]),)


def names_term(text: str, term: str) -> bool:
    return any(
        re.search(term_pattern(form), text, flags=re.IGNORECASE) for form in term_forms(term)
    )


_SEGMENTER = pysbd.Segmenter(language="en", clean=False)


@cache
def split_sentences(paragraph: str) -> tuple[str, ...]:
    """The paragraph's sentences (pysbd: abbreviations, initials, decimals and quotes kept
    whole), each stripped."""
    return tuple(part.strip() for part in _SEGMENTER.segment(paragraph) if part.strip())


def tidy(rest: str) -> str:
    return rest.strip().rstrip(" .!;:,").strip()


# --- distractors -----------------------------------------------------------------------


def word_roots(term: str) -> frozenset[str]:
    words = re.findall(r"[a-z]+", term.lower())
    return frozenset(word[:5] for word in words if word not in STOP_WORDS)


def synonyms(a: str, b: str) -> bool:
    """ "Empathize" and "Empathy", "Listen Actively" and "Active Listening": one idea."""
    return bool(word_roots(a)) and word_roots(a) == word_roots(b)


def stem_words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if w not in STOP_WORDS}


_RELATIVE = {"that", "which", "who", "whose", "where", "used", "of", "for", "to", "in", "with"}
_FINITE = {"is", "are", "was", "were", "can", "will", "has", "have", "does", "do", "should"}


def is_statement(text: str) -> bool:
    """ "The framework documents ..." or "A block is ...": a clause with its own verb before
    any relative word, not a noun phrase like "A block that has received ..."."""
    for index, word in enumerate(re.findall(r"[\w'’-]+", text.lower())[:7]):
        if word in _RELATIVE:
            return False
        if index and (
            word in _FINITE
            or (
                word.endswith("s")
                and index <= 3
                and getAllLemmas(word, upos="VERB")
                and not getAllLemmas(word, upos="NOUN")
            )
        ):
            return True
    return False
