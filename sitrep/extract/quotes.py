"""Quotes and attributions: who said what, as spans of one document.

Three kinds (schema quotes.jsonl):
- direct: text between quote marks with a cue next to it ("“...,” Erdogan said", "Erdogan said: “...”",
  "said Ana Ruiz, a researcher at the institute"); quotes that run over paragraphs (an unclosed opening mark
  continued by a paragraph that opens with a quote mark) are one quote;
- indirect: a cue verb with its reported clause ("X said that ...", "X told AFP ...", "according to X, ...");
- mixed: a reported clause that contains quoted words.

Spans follow PolNeAR's units (source = the speaker's noun phrase, cue = the verb with its auxiliaries and
"in a statement"/":", content = the reported clause) so that ``sitrep eval quotes`` scores them directly;
the direct quote's ``content`` here excludes the marks (the eval adds them back, as PolNeAR includes them).
The speaker stays unresolved (``Actor(name=None, ...)``); in-document coreference ("he said", "the source
added") points it at the nearest preceding named speaker. Cue words are data (sitrep/data/quotes/).

Which verbs are cues is decided by a small logistic regression over parse features (``cue_features``:
word, lemma, dependency role, dependents, subject type, neighbours, position to quote marks), trained on
the PolNeAR train split by scripts/train_quote_cues.py and shipped as hashed weights
(sitrep/data/quotes/cue_model.npz, with the prepositions that join a bare cue verb in cue_preps.yaml);
it generalises to reporting verbs outside the lexicon ("scoffed"). Without the model file the lexicon
decides, as before.
"""
from __future__ import annotations

import logging
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from sitrep.config import DATA_DIR
from sitrep.records import Actor, Annotation, Quote

log = logging.getLogger(__name__)

OPEN_MARKS = ("“", "«")
CLOSE_MARKS = ("”", "»")
TOGGLE_MARKS = ("''", '"')          # straight quotes and the doubled apostrophe some archives use
MIN_DIRECT_WORDS = 4                # shorter quoted bits are scare quotes / terms, parts of a mixed quote
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
CONTENT_DEPS = {"ccomp", "xcomp", "parataxis"}
PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them"}
PERSONAL = {"he", "she", "him", "her"}
OBJECT_PREPS = {"as", "for", "against", "about", "of", "with", "to", "over"}
PREP_CUES = {"for", "on", "about", "with", "against", "of"}
_EDGE_PUNCT = " \t\n,;:—–-"


# --------------------------------------------------------------------------- lexicon
@dataclass(frozen=True)
class CueLexicon:
    forms: dict[str, str]                       # word form -> kind
    phrases: dict[str, str]                     # multi-word prepositional cue -> kind
    extensions: tuple[str, ...]
    org_nouns: frozenset[str] = frozenset()
    data_dir: Path = DATA_DIR / "quotes"
    preps: frozenset[str] = frozenset(PREP_CUES)   # prepositions that join a bare cue verb ("pointed to")


@lru_cache(maxsize=4)
def load_cues(data_dir: Path = DATA_DIR / "quotes") -> CueLexicon:
    """Hand list (cues.yaml) plus forms learned from PolNeAR train (cues_learned.yaml)."""
    hand = yaml.safe_load((data_dir / "cues.yaml").read_text(encoding="utf-8"))
    exclude = set(hand.get("exclude", []))
    forms: dict[str, str] = {}
    learned_path = data_dir / "cues_learned.yaml"
    if learned_path.exists():
        learned = yaml.safe_load(learned_path.read_text(encoding="utf-8")) or {}
        for form in (learned.get("forms") or {}):
            if form not in exclude:
                forms[form] = "speech"
    for kind, words in (hand.get("kinds") or {}).items():
        for w in words:
            forms[w.lower()] = kind
    for p in hand.get("phrases", {}):
        forms.pop(p.split()[0], None)           # "according" is only a cue as part of its phrase
    preps = frozenset(PREP_CUES)
    preps_path = data_dir / "cue_preps.yaml"
    if preps_path.exists():
        preps = frozenset((yaml.safe_load(preps_path.read_text(encoding="utf-8")) or {}).get("preps") or {})
    return CueLexicon(forms=forms, phrases={k.lower(): v for k, v in (hand.get("phrases") or {}).items()},
                      extensions=tuple(e.lower() for e in hand.get("cue_extensions", [])),
                      org_nouns=frozenset(w.lower() for w in hand.get("organisation_nouns", [])), preps=preps)


# --------------------------------------------------------------------------- learned cue model
CUE_MODEL = "cue_model.npz"
N_HASH = 1 << 18                                # hashed feature space of the cue classifier
UNIVOCAL_KEEP = 0.8                            # a nested cue this sure stays (PolNeAR does annotate those)
_QUOTE_TOKENS = {"“", "”", '"', "''", "«", "»", "``"}


@dataclass(frozen=True)
class CueModel:
    """Logistic regression over hashed parse features that says whether a verb is an attribution cue;
    trained on the PolNeAR train split by scripts/train_quote_cues.py."""
    weights: np.ndarray                         # (N_HASH,) float
    bias: float
    threshold: float


@lru_cache(maxsize=4)
def load_cue_model(data_dir: Path = DATA_DIR / "quotes") -> CueModel | None:
    path = data_dir / CUE_MODEL
    if not path.exists():
        log.warning("no cue model at %s: falling back to the cue lexicon", path)
        return None
    z = np.load(path)
    return CueModel(weights=z["weights"].astype(np.float32), bias=float(z["bias"]),
                    threshold=float(z["threshold"]))


def feature_index(name: str) -> int:
    """Stable hash of a feature name (crc32, so training and run time agree across processes)."""
    return zlib.crc32(name.encode("utf-8")) % N_HASH


def _subject_child(tok):
    for c in tok.children:
        if c.dep_ in SUBJECT_DEPS or c.dep_ == "agent":
            return c
    return None


def cue_features(tok, in_quote: bool, lex: CueLexicon) -> list[str]:
    """Features of one candidate cue token: its word, lemma and parse role, its dependents (a clausal
    complement, a subject and what kind of subject), its neighbours, and where it stands to quote marks."""
    doc = tok.doc
    low, lem, dep, pos = tok.lower_, tok.lemma_.lower(), tok.dep_, tok.tag_
    prev1 = doc[tok.i - 1].lower_ if tok.i > 0 else "<s>"
    prev2 = doc[tok.i - 2].lower_ if tok.i > 1 else "<s>"
    next1 = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else "</s>"
    next2 = doc[tok.i + 2].lower_ if tok.i + 2 < len(doc) else "</s>"
    kids = sorted({c.dep_ for c in tok.children})
    f = ["b", "w=" + low, "l=" + lem, "t=" + pos, "d=" + dep, "ld=" + lem + "|" + dep, "lt=" + lem + "|" + pos,
         "hd=" + tok.head.lemma_.lower() + "|" + dep, "hp=" + tok.head.pos_ + "|" + dep,
         "p1=" + prev1, "n1=" + next1, "ln1=" + lem + "|" + next1, "p2=" + prev2 + "|" + prev1,
         "n2=" + next1 + "|" + next2, "sfx=" + low[-3:], "q=" + str(in_quote), "lq=" + lem + "|" + str(in_quote),
         "lex=" + lex.forms.get(low, "-"), "qp=" + str(prev1 in _QUOTE_TOKENS or prev2 in _QUOTE_TOKENS),
         "qn=" + str(next1 in _QUOTE_TOKENS or next2 in _QUOTE_TOKENS), "colon=" + str(next1 == ":")]
    for k in kids:
        f.append("k=" + k)
        f.append("lk=" + lem + "|" + k)
    f.append("kk=" + "|".join(k for k in kids if k in CONTENT_DEPS or k in {"dobj", "nsubj", "nsubjpass",
                                                                            "prep", "mark", "advcl"}))
    subj = _subject_child(tok)
    if subj is not None:
        s_ent = subj.ent_type_ or "-"
        s_kind = subj.lower_ if subj.pos_ == "PRON" else subj.pos_
        f += ["se=" + s_ent, "sk=" + s_kind, "lse=" + lem + "|" + s_ent, "ssl=" + subj.lemma_.lower()]
    else:
        f.append("se=none")
    return f


def is_candidate(tok) -> bool:
    """A token the cue model judges: a verb (noun cues, "his claim that", were tried and did not pay)."""
    return tok.pos_ in {"VERB", "AUX"} and tok.dep_ not in {"amod", "compound"} and tok.text.isalpha()


def score_cues(nlp_doc, text: str, model: CueModel, lex: CueLexicon) -> dict[int, float]:
    """Cue probability of every verb of the document, by token index."""
    quoted = find_quoted(text)
    out: dict[int, float] = {}
    w = model.weights
    for tok in nlp_doc:
        if not is_candidate(tok):
            continue
        in_q = any(q.start <= tok.idx < q.end for q in quoted)
        z = model.bias + float(sum(w[feature_index(x)] for x in cue_features(tok, in_q, lex)))
        out[tok.i] = 1.0 / (1.0 + np.exp(-z))
    return out


# --------------------------------------------------------------------------- quote marks
@dataclass
class Quoted:
    """Text inside quote marks: ``start``/``end`` exclude the marks; ``parts`` are per-paragraph pieces."""
    start: int
    end: int
    open_at: int                                # position of the opening mark
    close_at: int                               # position just after the closing mark
    parts: list[tuple[int, int]] = field(default_factory=list)

    def words(self, text: str) -> int:
        return len(re.findall(r"\w+", text[self.start:self.end]))


_MARK_RE = re.compile(r"''|[“”\"«»]")


def find_quoted(text: str) -> list[Quoted]:
    """Pair quote marks paragraph by paragraph; an unclosed quote continues into a paragraph that opens
    with a quote mark (the newspaper convention for multi-paragraph quotes)."""
    out: list[Quoted] = []
    pending: Quoted | None = None              # an unclosed quote carried over from the previous paragraph
    pos = 0
    for para in text.split("\n"):
        p_start, p_end = pos, pos + len(para)
        pos = p_end + 1
        if not para.strip():
            continue
        lead = len(para) - len(para.lstrip())
        marks = [(p_start + m.start(), m.group()) for m in _MARK_RE.finditer(para)]
        open_q: Quoted | None = None
        if pending is not None:
            if marks and marks[0][0] == p_start + lead and marks[0][1] not in CLOSE_MARKS:
                open_q = pending
                at, mk = marks.pop(0)
                open_q.parts.append((at + len(mk), at + len(mk)))   # end fixed below
            pending = None
        for at, mk in marks:
            closing = mk in CLOSE_MARKS or (mk in TOGGLE_MARKS and open_q is not None)
            if mk == '"' and open_q is None and at > p_start and text[at - 1].isalnum() and \
                    (at + 1 >= p_end or not text[at + 1].isalnum()):
                continue                                          # 12" (inches) and the like
            if closing and open_q is not None:
                s, _ = open_q.parts[-1]
                open_q.parts[-1] = (s, at)
                open_q.end, open_q.close_at = at, at + len(mk)
                out.append(open_q)
                open_q = None
            elif not closing:
                open_q = Quoted(at + len(mk), at + len(mk), at, at + len(mk), [(at + len(mk), at + len(mk))])
        if open_q is not None:                                    # unclosed at paragraph end
            s, _ = open_q.parts[-1]
            end = p_start + len(para.rstrip())
            open_q.parts[-1] = (s, end)
            open_q.end = open_q.close_at = end
            pending = open_q
    return out


# --------------------------------------------------------------------------- parse helpers
@dataclass
class Cue:
    token: object                              # the spaCy token of the cue word
    start: int
    end: int
    kind: str
    score: float = 0.0                         # the cue model's probability (0 for lexicon and phrase cues)


def _span_chars(tokens) -> tuple[int, int]:
    toks = sorted(tokens, key=lambda t: t.i)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _trim(text: str, start: int, end: int, chars: str = _EDGE_PUNCT) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and (text[end - 1] in chars or text[end - 1] in ".!?" and chars is _EDGE_PUNCT):
        end -= 1
    return start, end


def _cue_span(tok, lex: CueLexicon, text: str) -> tuple[int, int]:
    """The cue as PolNeAR marks it: auxiliaries/adverbs right before the verb, the verb, and a following
    "in a statement" or colon."""
    first = tok
    for child in sorted((c for c in tok.lefts), key=lambda c: -c.i):
        # "has said", "did not say", "also said", and the clitics "’s", "n't", "'ve"
        if child.i == first.i - 1 and child.dep_ in {"aux", "auxpass", "neg", "advmod"} and (
                child.text.isalpha() or child.dep_ != "advmod" and re.fullmatch(r"\w*['’]\w+", child.text)):
            first = child
    last = tok
    if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].dep_ == "prt" and tok.doc[tok.i + 1].head.i == tok.i:
        last = tok.doc[tok.i + 1]                                   # "pointed out", "called off"
    nxt = tok.doc[last.i + 1] if last.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.head.i == tok.i and nxt.dep_ == "npadvmod" and nxt.ent_type_ == "DATE":
        last = max(nxt.subtree, key=lambda t: t.i)                  # "said Tuesday" (PolNeAR: 74 in, 49 out)
    start, end = first.idx, last.idx + len(last.text)
    rest = text[end:end + 40].lower()
    for ext in lex.extensions:
        if rest.startswith(" " + ext):
            end += 1 + len(ext)
            rest = text[end:end + 2]
            break
    if text[end:end + 1] == ":":
        end += 1
    return start, end


def _subject(tok):
    """The speaker token: the verb's subject, inherited along conj/advcl ("..., adding"), or the noun a
    relative clause hangs on ("Barmin, who said")."""
    seen = 0
    while tok is not None and seen < 4:
        seen += 1
        subs = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
        if subs:
            s = subs[0]
            if s.tag_ in {"WP", "WDT"} and tok.dep_ == "relcl":
                return tok.head
            return s
        agents = [c for c in tok.children if c.dep_ == "agent"]
        if agents:
            objs = [g for g in agents[0].children if g.dep_ == "pobj"]
            if objs:
                return objs[0]
        if tok.dep_ in {"conj", "advcl", "xcomp"} and tok.head.i != tok.i:
            tok = tok.head
            continue
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ in {"VERB", "AUX"}:
            tok = tok.head.head                     # "pitched himself by telling them that ..."
            continue
        if tok.dep_ == "relcl":
            return tok.head
        return None
    return None


def _np_span(head, text: str, full: bool = True) -> tuple[int, int]:
    """A noun phrase from its head: the whole subtree (PolNeAR's source keeps appositives), or the core
    name for the speaker's text (cut before an appositive, relative clause or comma)."""
    toks = sorted(head.subtree, key=lambda t: t.i)
    if not full:
        core = []
        for t in toks:
            if t.i > head.i and (t.text in {",", "(", "—", "–"} or t.dep_ in {"appos", "relcl", "acl"}):
                break
            core.append(t)
        toks = core or [head]
    else:
        # "Trump, speaking to veterans, said": PolNeAR leaves a participle clause set off by commas out of
        # the source (train: acl children 254 out, 160 in)
        for c in head.rights:
            if c.dep_ == "acl" and c.tag_ in {"VBG", "VBN"} and c.i > 0 and head.doc[c.i - 1].text == ",":
                cut = {t.i for t in c.subtree} | {c.i - 1}
                after = max(t.i for t in c.subtree) + 1
                if after < len(head.doc) and head.doc[after].text == ",":
                    cut.add(after)
                toks = [t for t in toks if t.i not in cut]
                break
    s, e = _span_chars(toks)
    if not full:                                   # the name without stray quote marks
        return _trim(text, s, e, " ,;:\n“”\"«»")
    s, e = _trim(text, s, e, " ,;:\n“”\"«»")
    if "," in text[s:e] and text[e:e + 1] == ",":    # "X, a former chairman, said": PolNeAR keeps the comma
        e += 1
    return s, e


def _is_named(head) -> bool:
    """A speaker with a name of its own ("Erdogan", "the Syrian Observatory"), not a description."""
    def proper(t) -> bool:
        return t.pos_ == "PROPN" and t.text[:1].isupper()
    return proper(head) or head.ent_type_ in {"PERSON", "ORG"} or any(
        c.dep_ == "compound" and proper(c) for c in head.children)


def _is_person(head) -> bool:
    return head.ent_type_ == "PERSON" or (head.pos_ == "PROPN" and head.ent_type_ not in {"ORG", "GPE", "NORP",
                                                                                          "FAC", "LOC"})


# --------------------------------------------------------------------------- main
@dataclass
class _Found:
    kind: str
    cue: Cue | None
    source: tuple[int, int] | None
    speaker_head: object | None
    content: tuple[int, int]
    quoted: Quoted | None = None


def _cue_tokens(nlp_doc, lex: CueLexicon, text: str, model: CueModel | None = None) -> list[Cue]:
    """Cue phrases ("according to"), and cue verbs by the learned model when there is one, else by the
    lexicon."""
    cues = []
    scores = score_cues(nlp_doc, text, model, lex) if model is not None else None
    for tok in nlp_doc:
        low = tok.lower_
        phrase = next(((p, k) for p, k in lex.phrases.items() if low == p.split()[0] and
                       [t.lower_ for t in nlp_doc[tok.i:tok.i + len(p.split())]] == p.split()), None)
        if phrase is not None:
            last = nlp_doc[tok.i + len(phrase[0].split()) - 1]
            cues.append(Cue(last if last.i > tok.i else tok, tok.idx, last.idx + len(last.text), phrase[1]))
            continue
        if scores is not None:
            is_cue = scores.get(tok.i, 0.0) >= model.threshold
        else:
            is_cue = tok.dep_ not in {"amod", "compound"} and low in lex.forms and tok.pos_ in {"VERB", "AUX"}
        if is_cue:
            s, e = _cue_span(tok, lex, text)
            cues.append(Cue(tok, s, e, lex.forms.get(low, "speech"),
                            scores.get(tok.i, 0.0) if scores is not None else 0.0))
    return cues


def _phrase_source(cue: Cue, text: str):
    """'according to X' / 'citing X': the object of the preposition."""
    tok = cue.token
    objs = [c for c in tok.children if c.dep_ in {"pobj", "dobj"}]
    if not objs:
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is None or nxt.pos_ not in {"PROPN", "NOUN", "DET", "ADJ", "PRON", "NUM"}:
            return None
        objs = [nxt.head if nxt.head.i > tok.i and nxt.head.sent == tok.sent else nxt]
    return objs[0]


def _phrase_content(cue: Cue, text: str, src_span: tuple[int, int] | None) -> tuple[int, int] | None:
    """For 'according to X', the clause it attaches to: its sentence without the phrase."""
    sent = cue.token.sent
    s0, e0 = sent.start_char, sent.end_char
    pe = max(cue.end, src_span[1] if src_span else cue.end)
    if cue.start - s0 <= 3:          # "According to X, CONTENT."
        s, e = _trim(text, pe, e0)
    else:                            # "CONTENT, according to X."
        s, e = _trim(text, s0, cue.start)
        if e0 - pe > 3:              # something after the phrase too: keep the larger side
            s2, e2 = _trim(text, pe, e0)
            if e2 - s2 > e - s:
                s, e = s2, e2
    return (s, e) if e - s > 3 else None


def _clause_content(tok, text: str, nominal: bool = False,
                    preps: frozenset[str] = frozenset(PREP_CUES)) -> tuple[int, int] | None:
    """The reported clause of a cue verb: its clausal complement, or (``nominal``) its object."""
    comps = [c for c in tok.children if c.dep_ in {"ccomp", "parataxis"}]
    if not comps:
        comps = [c for c in tok.children if c.dep_ == "xcomp"]
    if not comps and nominal:
        # "criticized the plan", "announced his candidacy": PolNeAR counts the object as the content
        objs = [c for c in tok.children if c.dep_ == "dobj" and c.pos_ in {"NOUN", "PROPN", "PRON", "NUM"}]
        if objs:
            # "described the protests as peaceful", "criticized the media for ...": the object with the
            # complement prepositions that follow it
            toks = list(objs[0].subtree)
            for c in tok.rights:
                if c.i > objs[0].i and (c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ in OBJECT_PREPS) and \
                        c.i == max(t.i for t in toks) + 1:
                    toks.extend(c.subtree)
            s, e = _trim(text, *_span_chars(toks))
            return (s, e) if e > s else None
    if not comps and nominal:
        # "called for a ceasefire", "agreed with the plan": the preposition's object (the cue takes the
        # preposition, see _prep_cue)
        preps = [c for c in tok.children if c.dep_ == "prep" and c.i == tok.i + 1 and c.lower_ in preps]
        if preps:
            comps = [g for g in preps[0].children if g.dep_ in {"pobj", "pcomp"}]
    if not comps:
        # "the deal is dead, he said": spaCy often makes the reported clause the root and the cue a
        # ccomp/parataxis of it
        if tok.dep_ in {"ccomp", "parataxis"} and tok.head.i < tok.i:
            head = tok.head
            toks = [t for t in head.subtree if t.i < tok.i and not any(
                a.i == tok.i for a in t.ancestors) and t.i != tok.i]
            left = [t for t in toks if t.i < min(x.i for x in tok.subtree)]
            if left:
                s, e = _span_chars(left)
                return _trim(text, s, e)
        if tok.dep_ in {"ccomp", "parataxis"} and tok.head.i > tok.i:
            # "Too often, the senator said, the debate is ...": the reported clause goes on after the
            # parenthetical cue (PolNeAR's content is split around it; we keep the larger, right part)
            sub = list(tok.subtree)
            lo, hi = min(t.i for t in sub), max(t.i for t in sub)
            doc = tok.doc
            if doc[hi].text != "," and hi + 1 < len(doc) and doc[hi + 1].text == ",":
                hi += 1                                   # the comma may hang on the cue or on the clause
            if doc[hi].text == "," and (doc[lo].text == "," or lo > 0 and doc[lo - 1].text == ","):
                right = [t for t in tok.head.subtree if t.i > hi]
                if len(right) >= 3:
                    return _trim(text, *_span_chars(right))
        return None
    toks = list(comps[0].subtree)
    s, e = _span_chars(toks)
    s, e = _trim(text, s, e)
    return (s, e) if e > s else None


def _preceding_clause(cue: Cue, text: str) -> tuple[int, int] | None:
    """'CLAUSE, he said.' / 'CLAUSE, said the company's chief.': the sentence up to the comma before the
    cue (or before its subject), when the cue ends the sentence."""
    sent = cue.token.sent
    head = _subject(cue.token)
    left = cue.start
    if head is not None and head.i < cue.token.i:
        left = min(t.idx for t in head.subtree)
    before = text[sent.start_char:left].rstrip()
    if not before.endswith(","):
        return None
    tail = text[cue.end:sent.end_char]
    if re.search(r"\b(that|whether|if)\b", tail[:20]):
        return None
    s, e = _trim(text, sent.start_char, sent.start_char + len(before))
    return (s, e) if len(re.findall(r"\w+", text[s:e])) >= 3 else None


def _open_marks(text: str, span: tuple[int, int], quoted: list[Quoted]) -> tuple[int, int]:
    """A reported clause that opens with a quotation keeps the opening mark (the parser often hangs the
    mark elsewhere): 'said “the deal is dead,”'."""
    s, e = span
    q = next((q for q in quoted if q.start == s and q.open_at < s and q.end <= e + 2), None)
    return (q.open_at, e) if q is not None else span


def _close_marks(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A reported clause that ends inside a quotation keeps its closing punctuation and mark, as PolNeAR
    marks it ('she would “support the nominee,”')."""
    s, e = span
    inner = text[s:e]
    opens = len(re.findall(r"[“«]", inner)) + inner.count('"') % 2 + inner.count("''") % 2
    closes = len(re.findall(r"[”»]", inner))
    if opens > closes:
        m = re.match(r"[,.!?]?(”|\"|''|»)", text[e:e + 4])
        if m:
            e += m.end()
    return s, e


def extract_quotes(ann: Annotation, kb=None, nominal: bool = False,
                   cue_model: CueModel | None = None) -> list[Quote]:
    """Every attribution in one document, in text order. ``nominal`` also takes a cue verb's noun object
    as its content ("criticized the plan"), as PolNeAR annotates; off for reports, where such
    "quotes" say nothing. ``cue_model``: the cue classifier (default: the shipped one)."""
    text = ann.doc.text
    nlp_doc = ann.nlp_doc
    if nlp_doc is None or not text:
        return []
    lex = load_cues()
    found = _find(nlp_doc, text, lex, nominal, cue_model or load_cue_model())
    return _to_records(found, ann, text)


def _tok_at(nlp_doc, char: int):
    span = nlp_doc.char_span(char, char + 1, alignment_mode="expand")
    if span is not None and len(span):
        return span[0]
    for t in nlp_doc:
        if t.idx >= char:
            return t
    return nlp_doc[-1] if len(nlp_doc) else None


def _find(nlp_doc, text: str, lex: CueLexicon, nominal: bool = False,
          model: CueModel | None = None) -> list[_Found]:
    quoted = find_quoted(text)
    direct = [q for q in quoted if q.words(text) >= MIN_DIRECT_WORDS or
              re.search(r"[.!?,]\s*$", text[q.start:q.end])]
    cues = _cue_tokens(nlp_doc, lex, text, model)
    verb_cues = {c.token.i: c for c in cues if c.token.pos_ in {"VERB", "AUX"}}
    used: set[int] = set()
    found: list[_Found] = []

    def inside_quote(i_char: int) -> bool:
        return any(q.open_at <= i_char < q.close_at for q in direct)

    # 1) direct quotes: the cue right after the closing mark, or right before the opening one
    for q in direct:
        cue = None
        after = text[q.close_at:q.close_at + 160]
        stop = re.search(r"[.!?]\s|[“\"]|\n", after)
        window_end = q.close_at + (stop.start() if stop else len(after))
        for i, c in verb_cues.items():
            if q.close_at <= c.start < window_end and not inside_quote(c.start):
                if cue is None or c.start < cue.start:
                    cue = c
        if cue is None:
            before = text[max(0, q.open_at - 200):q.open_at]
            m = re.search(r"[:,]\s*$", before)
            if m:
                lo = max(0, q.open_at - 200) + max(before.rfind(". "), before.rfind("\n"),
                                                    before.rfind("”"), before.rfind('"') - 1, -1) + 1
                cands = [c for c in verb_cues.values() if lo <= c.start < q.open_at and
                         not inside_quote(c.start)]
                cands = [c for c in cands if _subject(c.token) is not None] or cands
                if cands:
                    cue = max(cands, key=lambda c: c.start)
        if cue is None:
            # "X said:" closing the previous paragraph
            para_start = text.rfind("\n", 0, q.open_at)
            prev = text[:max(para_start, 0)].rstrip()
            if para_start >= 0 and prev.endswith(":") and not text[para_start:q.open_at].strip():
                lo = max(prev.rfind("\n"), prev.rfind(". ")) + 1
                cands = [c for c in verb_cues.values() if lo <= c.start < len(prev) and
                         not inside_quote(c.start)]
                if cands:
                    cue = max(cands, key=lambda c: c.start)
        if cue is None:
            # the speaker in the sentence before, with no content of its own: 'X told AFP on Monday. “...”'
            prev_text = text[max(0, q.open_at - 250):q.open_at]
            m = re.search(r"([^.!?\n“”\"]{3,}[.!?])\s*$", prev_text)
            if m:
                lo = q.open_at - len(prev_text) + m.start(1)
                cands = [c for c in verb_cues.values() if lo <= c.start < q.open_at and c.token.i not in used
                         and not inside_quote(c.start) and _subject(c.token) is not None
                         and _clause_content(c.token, text) is None]
                if cands:
                    cue = max(cands, key=lambda c: c.start)
        if cue is None:
            # the speaker in the next sentence: '“...” Erdogan said in a speech.' / '... he added.'
            nxt = re.match(r"\s*([^.!?\n“\"]{0,120}[.!?])", text[q.close_at:])
            if nxt:
                lo, hi = q.close_at + nxt.start(1), q.close_at + nxt.end(1)
                cands = [c for c in verb_cues.values() if lo <= c.start < hi and
                         _clause_content(c.token, text) is None]
                if cands:
                    cue = min(cands, key=lambda c: c.start)
        if cue is None:
            # embedded in a reported clause: handled as mixed below
            continue
        used.add(cue.token.i)
        head = _subject(cue.token)
        src = _np_span(head, text) if head is not None else None
        if src and q.start <= src[0] < q.end:
            src, head = None, None
        found.append(_Found("direct", cue, src, head, (q.start, q.end), q))

    # continuation quotes: an unattributed direct quote right after an attributed one (same or next
    # paragraph) belongs to the same speaker ("“...,” he said. “...”")
    attributed = {id(f.quoted): f for f in found if f.quoted is not None}
    last: _Found | None = None
    for q in direct:
        f = attributed.get(id(q))
        if f is not None:
            last = f
            continue
        if last is None or last.quoted is None:
            continue
        between = text[last.quoted.close_at:q.open_at]
        if between.count("\n") <= 2 and len(between) < 250 and not any(
                last.quoted.close_at <= c.start < q.open_at for c in verb_cues.values() if c.token.i not in used):
            found.append(_Found("direct", last.cue, last.source, last.speaker_head, (q.start, q.end), q))
            last = found[-1]

    # 2) cue verbs and phrases with a reported clause: indirect or mixed
    for c in cues:
        if c.token.i in used or inside_quote(c.start):
            continue
        if c.token.pos_ in {"VERB", "AUX"}:
            content = _clause_content(c.token, text, nominal, lex.preps) or _preceding_clause(c, text)
            if content is None:
                continue
            nxt = c.token.doc[c.token.i + 1] if c.token.i + 1 < len(c.token.doc) else None
            if nominal and nxt is not None and nxt.lower_ in lex.preps and nxt.dep_ == "prep" and \
                    content[0] > nxt.idx and c.end <= nxt.idx:
                c = Cue(c.token, c.start, nxt.idx + len(nxt.text), c.kind, c.score)
            head = _subject(c.token)
            if head is None:
                continue
            src = _np_span(head, text)
            if src[0] < content[1] and content[0] < src[1]:
                continue
        else:
            head = _phrase_source(c, text)
            if head is None:
                continue
            src = _np_span(head, text)
            content = _phrase_content(c, text, src)
            if content is None:
                continue
        content = _close_marks(text, _open_marks(text, content, quoted))
        whole = next((q for q in quoted if q.start <= content[0] + 1 and content[1] - 1 <= q.end and
                      q.start >= content[0] - 1), None)
        if whole is not None and whole.words(text) >= MIN_DIRECT_WORDS:
            used.add(c.token.i)                        # the reported clause is the whole quote
            found.append(_Found("direct", c, src, head, (whole.start, whole.end), whole))
            continue
        kind = "mixed" if any(content[0] <= q.open_at and q.close_at <= content[1] + 1 for q in quoted) \
            else "indirect"
        used.add(c.token.i)
        found.append(_Found(kind, c, src, head, content))
    found.extend(_colon_lines(nlp_doc, text, found))
    if nominal:
        found = _univocal(found)
    found.sort(key=lambda f: f.content[0])
    return found


_COLON_LINE = re.compile(r"^(?P<src>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):[ \t]+(?P<content>\S[^\n]*)$", re.M)


def _colon_lines(nlp_doc, text: str, found: list[_Found]) -> list[_Found]:
    """Headline style 'Name: what they said' (a line opening with a name and a colon)."""
    out = []
    taken = [(f.content[0], f.content[1]) for f in found]
    for m in _COLON_LINE.finditer(text):
        s, e = m.span("src")
        span = nlp_doc.char_span(s, e, alignment_mode="expand")
        if span is None or not all(t.pos_ == "PROPN" or t.ent_type_ in {"PERSON", "ORG"} for t in span):
            continue
        cs, ce = _trim(text, *m.span("content"))
        if any(a < ce and cs < b for a, b in taken) or ce - cs < 10:
            continue
        colon = Cue(span[-1], e, e + 1, "speech")
        if text[cs] in "“\"" and text[ce - 1] in "”\"" and ce - cs > 2:
            out.append(_Found("direct", colon, (s, e), span.root, (cs + 1, ce - 1)))
        else:
            out.append(_Found("indirect", colon, (s, e), span.root, (cs, ce)))
    return out


def _univocal(found: list[_Found]) -> list[_Found]:
    """PolNeAR's convention: a token belongs to at most one attribution, so an attribution whose cue lies
    inside another's content (a nested "he thinks" inside a reported clause) is not annotated."""
    keep = []
    for f in found:
        if f.cue is None:
            keep.append(f)
            continue
        if f.cue.score >= UNIVOCAL_KEEP:
            keep.append(f)
            continue
        inner = any(g is not f and g.content[0] <= f.cue.start < g.content[1] and
                    (g.content[1] - g.content[0]) > (f.content[1] - f.content[0]) for g in found)
        if not inner:
            keep.append(f)
    return keep


def _speaker_text(head, text: str) -> tuple[str, int, int]:
    s, e = _np_span(head, text, full=False)
    return text[s:e], s, e


def _to_records(found: list[_Found], ann: Annotation, text: str) -> list[Quote]:
    out: list[Quote] = []
    doc_id = ann.doc.id
    named: list[tuple[int, Actor, bool]] = []  # (position, speaker, is a person) of named speakers so far
    persons = [e for e in ann.entities if e.label in {"PERSON", "ACTOR"}]
    org_nouns = load_cues().org_nouns
    for n, f in enumerate(found):
        surface = text[f.source[0]:f.source[1]] if f.source else None
        speaker = Actor(name=None, text=surface or "")
        if f.speaker_head is not None:
            head = f.speaker_head
            stext, s, e = _speaker_text(head, text)
            speaker = Actor(name=None, text=stext, start=s, end=e)
            if _is_named(head) and head.lower_ not in PRONOUNS:
                named.append((s, speaker, _is_person(head)))
            elif head.lower_ in PRONOUNS or (head.pos_ in {"NOUN", "PROPN"} and any(
                    d.lower_ in {"the", "this", "that"} for d in head.children if d.dep_ == "det")):
                want = "org" if head.lower_ in org_nouns or head.lower_ in {"it"} else (
                    "person" if head.lower_ in PERSONAL or head.pos_ in {"NOUN", "PROPN"} else "any")
                ante = _antecedent(named, persons, s, want, head.lower_ in PERSONAL)
                if ante is not None:
                    speaker = Actor(name=None, text=ante.text, start=ante.start, end=ante.end)
        content = text[f.content[0]:f.content[1]]
        if f.quoted is not None and len(f.quoted.parts) > 1:
            content = re.sub(r"\n\s*[“\"«]|\n\s*''", "\n", content)
        out.append(Quote(
            id=f"{doc_id}-q{n}", speaker=speaker, kind=f.kind,
            cue=(text[f.cue.start:f.cue.end].rstrip(":") or ":") if f.cue else "",
            content=content, doc=doc_id, start=f.content[0], end=f.content[1],
            date=_quote_date(ann, f), source_span=f.source,
            cue_span=(f.cue.start, f.cue.end) if f.cue else None,
            source_text=surface))
    return out


def _antecedent(named, persons, pos: int, want: str, personal: bool) -> Actor | None:
    """The nearest preceding named speaker of the wanted type (person / org / any), else the nearest
    named speaker; for he/she with no named speaker, the nearest preceding person entity."""
    prior = [(a, is_person) for p, a, is_person in named if p < pos]
    typed = [a for a, is_person in prior if want == "any" or is_person == (want == "person")]
    if typed:
        return typed[-1]
    if prior and not personal:
        return prior[-1][0]
    if personal:
        cands = [e for e in persons if e.end <= pos]
        if cands:
            e = cands[-1]
            return Actor(name=None, text=e.text, start=e.start, end=e.end)
    return None


def _quote_date(ann: Annotation, f: _Found) -> str | None:
    """The publication date, unless the attributing sentence (outside the quote) says when."""
    if f.cue is None:
        return ann.anchor
    sent = f.cue.token.sent
    for t in ann.timexes:
        if sent.start_char <= t.start < sent.end_char and not (f.content[0] <= t.start < f.content[1]) \
                and t.type == "DATE" and t.interval is not None and t.interval.precision == "day":
            if ann.anchor is None or t.interval.start <= ann.anchor:
                return t.interval.start
    return ann.anchor
