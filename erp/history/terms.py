"""What a search text means: words that must all occur, each with its spacing variants.

Korean is written with uneven spacing ("사내 위키" and "사내위키" are the same thing), so:

- the text is split on whitespace and every word must occur in the record (in any of its
  searched fields), so "사내 위키" also finds "사내위키";
- a Hangul word of 4 to 8 syllables also matches itself with one space inside, between
  parts of at least two syllables, so "사내위키" also finds "사내 위키".

Each alternative is then a plain case-insensitive substring, the same answer as a LIKE scan
(``matches_text`` is that scan, in Python: the tests' oracle and the highlighter's rule).
Wildcards and SQL metacharacters (``%``, ``_``, ``*``, ``'``) are ordinary characters.
"""

import re
from dataclasses import dataclass

from erp.core.search import clean_text

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
SPACED_VARIANT_LENGTHS = range(4, 9)
_HANGUL_WORD = re.compile(r"^[\uac00-\ud7a3]+$")


@dataclass(frozen=True)
class Word:
    text: str
    variants: tuple[str, ...]  # the word itself first


def spaced_variants(word: str) -> tuple[str, ...]:
    if len(word) not in SPACED_VARIANT_LENGTHS or not _HANGUL_WORD.match(word):
        return ()
    return tuple(f"{word[:cut]} {word[cut:]}" for cut in range(2, len(word) - 1))


def parse_words(text: str) -> list[Word]:
    """The words of ``text`` (cleaned, duplicates dropped, in order)."""
    words = dict.fromkeys(clean_text(text).split())
    return [Word(word, (word, *spaced_variants(word))) for word in words]


def matches_text(words: list[Word], texts: list[str]) -> bool:
    """The LIKE-scan answer: every word (some variant of it) occurs in one of ``texts``."""
    lowered = [text.lower() for text in texts]
    return all(any(variant.lower() in text for variant in word.variants for text in lowered) for word in words)
