"""Finding the resident a schedule entry means: by e-mail address, or by name as schedules write it.

Schedules are typed by hand or exported from systems that drop diacritics ("Nguyen, Thao" for the roster's
"Nguyễn Thảo", "Garcia-Lopez, Jose" for "García-López José"), so names are compared by a *key*:

- Unicode NFKD, combining marks dropped, case folded, and the few Latin letters that NFKD does not split
  (ł, ø, đ, ß, æ, œ, ı, þ, ð) spelled out in ASCII;
- hyphens, underscores, slashes, dots between words and runs of spaces all separate words; apostrophes and
  other punctuation are dropped ("O'Brien" → "obrien");
- the key is the words of the first name followed by the words of the last name.

"Last, First" (with a comma) and "First Last" (without one) are both understood; remarks in brackets are
dropped. Two residents with the same
key make that name *ambiguous*: it is reported, never guessed. Only the residents given to the
:class:`Matcher` (the active residents of one programme) can match.

Nothing here logs or puts a name in a message.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

_SPELLED_OUT = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d"}
)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/.·]+")
_NOT_WORD = re.compile(r"[^0-9a-z ]")
# Bounded like real addresses (a local part of at most 64 characters, domain labels of at most 63): unbounded
# runs made a long summary without an "@" take time quadratic in its length (minutes for a 200 kB line).
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
_REMARK = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LONGEST_NAME = 8  # words; longer runs in a summary are never tried as one name

NameKey = tuple[str, ...]


def name_words(text: str) -> NameKey:
    """The comparable words of a name or a piece of text (see the module docstring)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPELLED_OUT))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_SPELLED_OUT)
    spaced = _SEPARATORS.sub(" ", plain)
    return tuple(_NOT_WORD.sub("", spaced).split())


def person_key(first_name: str, last_name: str) -> NameKey:
    """The key of a resident: the words of the first name, then those of the last name."""
    return name_words(first_name) + name_words(last_name)


def written_name_key(written: str) -> NameKey:
    """The key of a name as a schedule writes it: "Last, First" with a comma, "First Last" without.

    Remarks in brackets ("Okafor, Adaeze (PGY1)") are not part of the name.
    """
    name = _REMARK.sub(" ", written)
    last, comma, first = name.partition(",")
    if comma:
        return name_words(first) + name_words(last)
    return name_words(name)


def emails_in(text: str) -> list[str]:
    """E-mail addresses written in free text (an event's summary), lower-cased."""
    return [match.lower() for match in _EMAIL.findall(text)]


@dataclass(frozen=True)
class Person:
    """A resident who may be named in a schedule."""

    id: int
    first_name: str
    last_name: str
    email: str


@dataclass(frozen=True)
class Match:
    """What a name or a piece of text resolved to.

    ``resident_ids`` holds one id when the match is certain; several when the name belongs to several
    residents (ambiguous); none when nobody matched. ``several_names`` is set when text names more than one
    different person.
    """

    resident_ids: tuple[int, ...] = ()
    several_names: bool = False

    @property
    def unique(self) -> int | None:
        return self.resident_ids[0] if len(self.resident_ids) == 1 and not self.several_names else None

    @property
    def ambiguous(self) -> bool:
        return len(self.resident_ids) > 1 or self.several_names


@dataclass
class Matcher:
    """Finds residents by e-mail address or by name among the people it was built with."""

    by_email: dict[str, int] = field(default_factory=dict)
    by_name: dict[NameKey, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, people: Iterable[Person]) -> "Matcher":
        """A matcher over ``people`` (the active residents of one programme)."""
        matcher = cls()
        for person in people:
            matcher.by_email[person.email.strip().lower()] = person.id
            key = person_key(person.first_name, person.last_name)
            if key:
                matcher.by_name.setdefault(key, []).append(person.id)
        return matcher

    def email(self, address: str) -> int | None:
        """The resident with this e-mail address (compared without regard to case), if any."""
        return self.by_email.get(address.strip().lower())

    def name(self, written: str) -> Match:
        """The resident(s) a written name ("Last, First" or "First Last") belongs to."""
        key = written_name_key(written)
        return Match(tuple(self.by_name.get(key, ()))) if key else Match()

    def named_in(self, text: str) -> Match:
        """The resident a piece of free text (an event's summary) names, by e-mail address or by name.

        An address wins over names. Names are looked for as whole words, first name then last name, or last
        name then first name ("MICU call – Thao Nguyen", "Nguyen, Thao: nights"). A name found inside a
        longer name that is also found ("Ann Lee" inside "Jo Ann Lee") does not count separately.
        """
        ids = {rid for address in emails_in(text) if (rid := self.email(address)) is not None}
        if ids:
            return Match(tuple(sorted(ids)), several_names=len(ids) > 1)
        words = name_words(text)
        spans: list[tuple[int, int, NameKey]] = []
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + _LONGEST_NAME) + 1):
                run = words[start:end]
                for key in self._keys_for_run(run):
                    spans.append((start, end, key))
        # A span is dropped when a longer one holds it. Spans are at most _LONGEST_NAME words long, so only
        # those starting a few words before it can (comparing every pair was quadratic in the summary).
        found = {(start, end) for start, end, _ in spans}
        kept = {
            key
            for start, end, key in spans
            if not any(
                (s, e) in found
                for s in range(max(0, end - _LONGEST_NAME), start + 1)
                for e in range(end, s + _LONGEST_NAME + 1)
                if e - s > end - start
            )
        }
        if not kept:
            return Match()
        if len(kept) > 1:
            return Match(
                tuple(sorted({rid for key in kept for rid in self.by_name[key]})), several_names=True
            )
        return Match(tuple(self.by_name[kept.pop()]))

    def _keys_for_run(self, run: NameKey) -> list[NameKey]:
        keys = [run] if run in self.by_name else []
        # "Last First" order: try every split of the run into a last name followed by a first name.
        for cut in range(1, len(run)):
            swapped = run[cut:] + run[:cut]
            if swapped != run and swapped in self.by_name:
                keys.append(swapped)
        return keys
