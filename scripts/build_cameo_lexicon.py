"""Derive sitrep's CAMEO lexicon (``sitrep/data/events/cameo_verbs.tsv``) from PETRARCH2's CAMEO verb
pattern dictionary and the PLOVER conversion table.

    .venv/bin/python scripts/build_cameo_lexicon.py PATH/TO/CAMEO.2.0.txt \
        [--plover ../shared/data/events/plover/CAMEO2PLOVER-2021.txt] [--out sitrep/data/events/cameo_verbs.tsv]

Why: the trigger lexicon (``triggers.yaml``) was written while reading our development records, so it fits
them; the CAMEO dictionary (Open Event Data Alliance, MIT licence; ``openeventdata/petrarch2``, file
``petrarch2/data/dictionaries/CAMEO.2.0.txt``) was compiled by others over decades of news and never saw
them. It gives the typing a second opinion that holds on text nobody here tuned on.

What is kept (derived facts only, no pattern text): for each English verb lemma of the dictionary

- ``verb``: its CAMEO code (the verb's own code, else its block's default code);
- ``verbp``: for a verb without a code of its own, the code its block's patterns most often give;
- ``obj``: verb + the head noun of a direct-object pattern ("- * SANCTIONS [163]" under IMPOSE ->
  impose + sanction); synonym sets (``&WEAPON``) are expanded to their member heads;
- ``prt``: verb + particle ("+CALL_OFF", "- * DOWN ...");
- ``prep``: verb + preposition (+ head of its object) of a bracketed phrase ("- * (INTO COMPUTER)"); and
  "to *": the reading most of a verb's "to X" phrases give (for "agreed to resign": an infinitive);
- ``subj``: verb + head noun of the subject ("- &AIRCRAFT * [195]");
- ``noun``: event nouns: objects that verbs of at least two blocks containing a light verb (``light_verbs`` of
  ``triggers.yaml``: "launch an offensive", "hold talks") give the same type, or whose own verb has it; not
  words that are the subject of a pattern and no verb (or in a set used as one): those are actors ("police").

A pattern applies to every verb of its block (PETRARCH's reading). Conflicting codes for one key are
resolved by the PLOVER type with the most support, then the most frequent code of that type. Codes map to
PLOVER types and modes by the conversion table (the longest code prefix listed); CAMEO 01 (public
statements) has no PLOVER type and is written ``NONE``, CAMEO 02 (appeals) is REQUEST. Modes that the
ontology does not list for the type are left empty.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "sitrep" / "data" / "events" / "cameo_verbs.tsv"
PLOVER_TABLE = ROOT.parent / "shared" / "data" / "events" / "plover" / "CAMEO2PLOVER-2021.txt"

PARTICLES = frozenset({"up", "down", "off", "out", "back", "away", "aside", "forward", "together", "over"})
PREPS = frozenset({"in", "on", "into", "at", "for", "with", "from", "to", "against", "by", "between", "through",
                   "toward", "towards", "under", "of", "across", "about", "after", "during", "before", "behind",
                   "inside", "outside", "upon", "amid", "despite", "along", "near", "over"})
SKIP = frozenset({"+", "$", "^", "%", "a", "an", "the", "no", "not", "will", "and", "each"})
HEADER = """# CAMEO-derived event lexicon: verb lemma (and verb + object head, particle, preposition, subject head; event
# nouns) -> CAMEO code -> PLOVER type/mode. Derived facts only; written by scripts/build_cameo_lexicon.py.
# Source: CAMEO verb pattern dictionary of PETRARCH2 (openeventdata/petrarch2,
#   petrarch2/data/dictionaries/CAMEO.2.0.txt, last update 30 April 2015), The MIT License (MIT),
#   Copyright (c) 2015 Open Event Data Alliance. Permission is hereby granted, free of charge, to any person
#   obtaining a copy of this software and associated documentation files (the "Software"), to deal in the
#   Software without restriction, including without limitation the rights to use, copy, modify, merge, publish,
#   distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
#   furnished to do so, subject to the following conditions: The above copyright notice and this permission
#   notice shall be included in all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED
#   "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.
# Mapping: CAMEO code -> PLOVER type/mode by the PLOVER manual's CAMEO-to-PLOVER conversion table
#   (CAMEO2PLOVER, Draft 0.8, 17 Sep 2021; longest code prefix); CAMEO 01x (statements) -> NONE,
#   02x (appeals) -> REQUEST.
# Columns: kind, key, argument, CAMEO code, PLOVER type, mode, support. kind: verb (key lemma, argument its
#   dictionary block), prt (lemma, particle), obj / prep / subj (key block, argument the object head, preposition
#   [+ head], subject head; &NAME = any member of that set), verbp (block: the type its object patterns most
#   often give), noun (event noun), set (synonym set name, member head).
"""


# ---------------------------------------------------------------------------------------------- words
def singular(word: str) -> str:
    """A noun of the dictionary in the form spaCy's lemmatizer gives ("sanctions" -> "sanction",
    "clashes" -> "clash", "militias" -> "militia", "talks" -> "talk")."""
    w = word.lower().strip("_")
    if len(w) <= 3 or w.endswith(("ss", "us", "is", "ics", "news")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("shes", "ches", "xes", "sses", "zes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def head_of(words: list[str]) -> str | None:
    """The head (last content word) of a phrase's words, or None."""
    words = [w for w in words if w.lower() not in SKIP and re.match(r"^[&A-Za-z][A-Za-z_\-]*$", w)]
    return words[-1] if words else None


# ---------------------------------------------------------------------------------------------- parse
@dataclass
class Block:
    name: str
    code: str | None
    verbs: list[tuple[str, str | None, str | None]] = field(default_factory=list)   # (lemma, particle, code)
    patterns: list[tuple[list[str], list[str], str]] = field(default_factory=list)   # (pre, post, code)


def clean_code(raw: str) -> str | None:
    """"190" -> "190"; "042:043" -> "042"; ":173" -> "173"; "---" / "" -> None; "080!" -> "080"."""
    raw = raw.replace("!", "").strip()
    for part in raw.split(":"):
        part = part.strip()
        if part and part != "---" and part.isdigit():
            return part
    return None


def _tokens(text: str) -> list[str]:
    """Pattern items: ``(...)`` and ``{...}`` groups kept whole, other words split on blanks."""
    return re.findall(r"\([^)]*\)|\{[^}]*\}|\S+", text)


def parse(path: Path) -> tuple[dict[str, list[str]], list[Block]]:
    """Synonym sets (``&NAME`` -> member words) and verb blocks of a CAMEO verb dictionary."""
    sets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    cur_set = None
    section = None
    for raw in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        line = re.split(r"\s#|^#|;", raw, maxsplit=1)[0].rstrip()
        if raw.startswith("####### SYNONYM"):
            section = "sets"
            continue
        if raw.startswith("####### VERB"):
            section = "verbs"
            continue
        if raw.startswith("######## TRANSFORMATIONS"):
            section = None
            continue
        if not line.strip():
            cur_set = None
            continue
        if section == "sets":
            if line.startswith("&"):
                cur_set = line.strip()
                sets[cur_set] = []
            elif line.startswith("+") and cur_set:
                sets[cur_set].append(line[1:].strip())
            continue
        if section != "verbs":
            continue
        m = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]", line)
        if m:
            blocks.append(Block(m.group(1), clean_code(m.group(2))))
            continue
        if not blocks:
            continue
        block = blocks[-1]
        cm = re.search(r"\[([^\]]*)\]\s*$", line)
        code = clean_code(cm.group(1)) if cm else None
        body = line[:cm.start()] if cm else line
        if line.startswith("-"):
            items = _tokens(body[1:].strip())
            if "*" not in items or cm is None:
                continue
            k = items.index("*")
            block.patterns.append((items[:k], items[k + 1:], code or "---"))
            continue
        body = re.sub(r"\{[^}]*\}", " ", body).strip()
        if not body:
            continue
        word = body.split()[0]
        multi = word.startswith("+")
        parts = word.lstrip("+").lower().split("_")
        if not parts[0].isalpha() and "-" not in parts[0]:
            continue
        particle = parts[1] if multi and len(parts) == 2 and parts[1] in PARTICLES | PREPS else None
        if multi and particle is None:
            continue          # "+TAKE_LEAVE", "+KILLED_AND": not a verb + particle
        block.verbs.append((parts[0], particle, code))
    return sets, blocks


# ---------------------------------------------------------------------------------------------- mapping
def load_plover_table(path: Path, modes: dict[str, list[str]]) -> dict[str, tuple[str, str | None]]:
    """CAMEO code -> (PLOVER type, mode) from the conversion table (``code: TYPE, mode, context # ...``)."""
    table: dict[str, tuple[str, str | None]] = {}
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^(\d+):\s*([A-Z]+)\s*(?:,\s*([^,]*))?", line)
        if not m:
            continue
        typ, mode = m.group(2), (m.group(3) or "").strip() or None
        if mode not in modes.get(typ, []):
            mode = None
        table.setdefault(m.group(1), (typ, mode))
    return table


def plover_of(code: str, table: dict) -> tuple[str, str | None] | None:
    """PLOVER (type, mode) of a CAMEO code by its longest listed prefix; 01 -> NONE, 02 -> REQUEST."""
    if code.startswith("01"):
        return ("NONE", None)
    if code.startswith("02"):
        return ("REQUEST", None)
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


# ---------------------------------------------------------------------------------------------- derive
def _expand(item: str, sets: dict[str, list[str]]) -> list[str]:
    """Head lemmas of one pattern item: a word, a ``{phrase}`` (its last word), an ``&SET`` (kept as the
    set's name; ``set`` rows list its members' heads)."""
    if item.startswith("{"):
        h = head_of(item.strip("{}").split())
        return _expand(h, sets) if h else []
    if item.startswith("&"):
        return [item.upper()] if item in sets else []
    if re.match(r"^[A-Za-z][A-Za-z\-]*$", item) and item.lower() not in SKIP:
        return [singular(item)]
    return []


def set_heads(sets: dict[str, list[str]]) -> dict[str, list[str]]:
    """Member heads of each synonym set ("ASSAULT_RIFLE" -> rifle)."""
    return {name: sorted({singular(m.split("_")[-1]) for m in members
                          if m.split("_")[-1].replace("-", "").isalpha()})
            for name, members in sets.items()}


def pattern_keys(pre: list[str], post: list[str], sets) -> list[tuple[str, str, float]]:
    """(kind, argument, weight) keys of one pattern; a qualified pattern (more items after its object)
    weighs half."""
    keys: list[tuple[str, str, float]] = []
    post = [p for p in post if p not in SKIP]
    subj = [p for p in pre if p not in SKIP and not p.startswith("(")]
    if subj and not post:
        for h in _expand(subj[-1], sets):
            keys.append(("subj", h, 1.0))
    if not post:
        return keys
    first, rest = post[0], post[1:]
    if first.lower() in PARTICLES and not first.startswith(("(", "{", "&")):
        keys.append(("prt", first.lower(), 1.0 if not rest else 0.5))
        if rest and not rest[0].startswith("("):
            for h in _expand(rest[0], sets):
                keys.append(("obj", h, 0.5))
        return keys
    if first.startswith("("):
        words = first.strip("()").split()
        if words and words[0].lower() in PREPS:
            obj = head_of(words[1:])
            heads = _expand(obj, sets) if obj else []
            for h in heads:
                keys.append(("prep", f"{words[0].lower()} {h}", 1.0 if not rest else 0.5))
            if len(words) == 1:
                keys.append(("prep", words[0].lower(), 1.0 if not rest else 0.5))
            if words[0].lower() == "to" and len(words) > 1:
                keys.append(("prep", "to *", 0.5))     # "agree (to X)": what "agreed to <verb>" reads as
        return keys
    if first.lower() in PREPS and rest:
        for h in _expand(rest[0], sets):
            keys.append(("prep", f"{first.lower()} {h}", 0.5))
        return keys
    for h in _expand(first, sets):
        keys.append(("obj", h, 1.0 if not rest else 0.5))
    return keys


def best(votes: list[tuple[str, float, int]], table) -> tuple[str, str, str | None, float] | None:
    """(code, type, mode, support) with the most supported PLOVER type, then its most supported code;
    ties go to the earlier line of the dictionary. ``votes``: (code, weight, line order)."""
    by_type: dict[str, list[tuple[str, float, int]]] = defaultdict(list)
    for code, w, order in votes:
        tm = plover_of(code, table)
        if tm:
            by_type[tm[0]].append((code, w, order))
    if not by_type:
        return None
    typ = min(by_type, key=lambda t: (-sum(w for _, w, _ in by_type[t]), min(o for _, _, o in by_type[t])))
    codes: dict[str, list[float]] = defaultdict(list)
    for code, w, order in by_type[typ]:
        codes[code].append(w)
    code = min(codes, key=lambda c: (-sum(codes[c]), c))
    return code, typ, plover_of(code, table)[1], sum(w for _, w, _ in by_type[typ])


Row = tuple[str, str, str, str, str, str, float]


def derive(sets, blocks, table, light_verbs: frozenset[str]) -> list[Row]:
    """The lexicon rows (kind, key, argument, code, type, mode, support), sorted. Verb rows name the
    blocks a lemma belongs to (argument) with the verb's code; pattern rows (obj, prep, prt, subj, verbp)
    are keyed by block, so that a pattern is stored once for all the verbs of its block; set rows list the
    member heads of a synonym set used as an argument."""
    votes: dict[tuple[str, str, str], list[tuple[str, float, int]]] = defaultdict(list)
    membership: set[tuple[str, str]] = set()
    order = 0
    noun_blocks: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    used_sets: set[str] = set()
    names: dict[str, int] = defaultdict(int)
    for b in blocks:
        names[b.name] += 1
        block = b.name if names[b.name] == 1 else f"{b.name}{names[b.name]}"
        lemmas = sorted({v for v, prt, _ in b.verbs if prt is None})
        for verb, prt, code in b.verbs:
            order += 1
            c = code or b.code
            if prt is not None:
                if c:
                    votes[("prt", verb, prt)].append((c, 1.0, order))
                continue
            membership.add((verb, block))
            if c:
                votes[("verb", verb, block)].append((c, 2.0 if code else 1.0, order))
        light = bool(set(lemmas) & light_verbs)
        for pre, post, code in b.patterns:
            order += 1
            if code == "---":
                continue
            for kind, arg, w in pattern_keys(pre, post, sets):
                votes[(kind, block, arg)].append((code, w, order))
                if kind == "obj":
                    votes[("verbp", block, "")].append((code, w, order))
                if arg.split()[-1].startswith("&"):
                    used_sets.add(arg.split()[-1])
                if kind == "obj" and light and not pre and re.match(r"^[A-Za-z\-]+$", post[0]) and w == 1.0:
                    tm = plover_of(code, table)
                    if tm and tm[0] != "NONE":
                        noun_blocks[arg][tm[0]].add(block)
                        votes[("noun", arg, "")].append((code, w, order))
    # words that act (pattern subjects, members of the sets used as subjects) are participants, not events
    verbs_known = {v for v, _ in membership}
    actors = {arg for (kind, _, arg) in votes if kind == "subj" and not arg.startswith("&") and arg not in verbs_known}
    for (kind, _, arg) in list(votes):
        if kind == "subj" and arg.startswith("&"):
            actors |= set(set_heads(sets).get(arg, ()))
    verb_type: dict[str, str] = {}
    rows: list[Row] = []
    for verb, block in sorted(membership):
        r = best(votes.get(("verb", verb, block), []), table)
        code, typ, mode, support = r if r else ("", "", None, 0.0)
        rows.append(("verb", verb, block, code, typ, mode or "", round(support, 1)))
        if typ:
            verb_type.setdefault(verb, typ)
    for (kind, key, arg), vs in sorted(votes.items()):
        if kind == "verb":
            continue
        r = best(vs, table)
        if r is None:
            continue
        code, typ, mode, support = r
        if kind == "verbp" and support < 2:
            continue
        if kind == "noun" and (key in actors or (len(noun_blocks[key][typ]) < 2 and verb_type.get(key) != typ)):
            continue
        rows.append((kind, key, arg, code, typ, mode or "", round(support, 1)))
    for name, heads in sorted(set_heads(sets).items()):
        if name in used_sets:
            rows.extend(("set", name, h, "", "", "", 0.0) for h in heads)
    return rows


def write(rows, out: Path) -> None:
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for kind, lemma, arg, code, typ, mode, support in rows:
            fh.write(f"{kind}\t{lemma}\t{arg}\t{code}\t{typ}\t{mode}\t{support:g}\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cameo", type=Path, help="CAMEO.2.0.txt of PETRARCH2")
    ap.add_argument("--plover", type=Path, default=PLOVER_TABLE, help="CAMEO2PLOVER conversion table")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    from sitrep.kb.ontology import Ontology, load_triggers
    onto = Ontology.load()
    modes = {t: onto.modes(t) for t in onto.types}
    table = load_plover_table(args.plover, modes)
    light = frozenset(str(w).lower() for w in (load_triggers().get("light_verbs") or []))
    sets, blocks = parse(args.cameo)
    rows = derive(sets, blocks, table, light)
    write(rows, args.out)
    kinds = defaultdict(int)
    for r in rows:
        kinds[r[0]] += 1
    print(f"{len(blocks)} verb blocks, {len(sets)} synonym sets -> {len(rows)} rows {dict(sorted(kinds.items()))}; "
          f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
