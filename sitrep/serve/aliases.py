"""Search terms expanded into the spellings the knowledge base knows for them.

"Idlib" becomes {"Idlib", "Idleb"} (the gazetteer's names and aliases for what it denotes), "Erdogan" becomes
every name of the registry's Recep Tayyip Erdoğan. Folding (case, accents, scripts) happens in the store's
search module; this adds what folding cannot know: other spellings and other names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

MAX_VARIANTS = 24            # a term with more spellings than this keeps the first ones (name first)
_QUOTED = re.compile(r'"([^"]+)"|(\S+)')


@dataclass
class Expander:
    """Variants of search terms from the gazetteer and the actor registry (either may be absent)."""
    gazetteer: object | None = None
    actors: object | None = None
    _cache: dict = field(default_factory=dict)

    def place(self, term: str) -> tuple[str, ...]:
        """The term and the names of the places it names (exact name or alias; no sound-alike guesses)."""
        key = ("place", term)
        if key not in self._cache:
            out = [term]
            if self.gazetteer is not None and term.strip():
                for c in self.gazetteer.candidate_entries(term, skeletons=False):
                    out.append(c.entry.name)
            self._cache[key] = _unique(out)
        return self._cache[key]

    def actor(self, term: str) -> tuple[str, ...]:
        """The term and every name of the registry actor it names."""
        key = ("actor", term)
        if key not in self._cache:
            out = [term]
            if self.actors is not None and term.strip():
                entry = self.actors.lookup(term) or self.actors.lookup(term.title())
                if entry is not None:
                    out += [entry.name, *entry.aliases, *(n.name for n in entry.names)]
            self._cache[key] = _unique(out)
        return self._cache[key]

    def text(self, query: str) -> tuple[tuple[str, ...], ...]:
        """Groups for a free-text query: the whole query when it names an actor or a place, else each word
        (or "quoted phrase") with its variants; a bare word also matches as a prefix."""
        query = query.strip()
        if not query:
            return ()
        whole = _unique([*self.actor(query)[1:], *self.place(query)[1:]])
        if whole and " " in query:
            return (_unique([query, *whole]),)
        groups = []
        for m in _QUOTED.finditer(query):
            phrase, word = m.group(1), m.group(2)
            term = phrase or word
            variants = [*self.actor(term), *self.place(term)[1:]]
            if word and len(word) >= 3:
                variants.insert(1, word + "*")
            groups.append(_unique(variants))
        return tuple(groups)


def _unique(values) -> tuple[str, ...]:
    seen, out = set(), []
    for v in values:
        k = v.casefold()
        if v and k not in seen:
            seen.add(k)
            out.append(v)
    return tuple(out[:MAX_VARIANTS])


@lru_cache(maxsize=1)
def default_expander() -> Expander:
    """An expander over the shipped knowledge base (loads the gazetteer and the registry once)."""
    from sitrep.kb import KnowledgeBase

    kb = KnowledgeBase.load()
    return Expander(kb.places, kb.actors)
