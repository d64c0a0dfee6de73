"""The CAMEO-derived lexicon: the build script's reading of a CAMEO verb dictionary (a small one we wrote in
its format), the knowledge base's loader, the pattern rules on parsed sentences we wrote, and its use as
the trigger lexicon's fallback."""
import importlib.util
import sys
from pathlib import Path

import pytest

from sitrep.extract.cameo import (RULES, by_complement, by_object, by_particle, by_preposition, by_subject, by_verb, reading,
                                  readings, unlisted)
from sitrep.extract.events import find_triggers
from sitrep.kb.ontology import Ontology, load_cameo_lexicon

ROOT = Path(__file__).resolve().parents[1]

TOY = """####### SYNONYM SETS #######

&ARMS
+RIFLE
+MORTAR_SHELLS

####### VERB PATTERNS #######

--- IMPOSE [170] ---
IMPOSE
LEVY {LEVIES LEVIED}
- * CURFEW [1723]
- * SANCTIONS [163]
- * SANCTIONS (ON TRADE) [163]
- * &ARMS [172]

--- CANCEL [---] ---
+CALL_OFF [160]
HALT
- * TALKS [164]
- &ARMS * [190]
- * (IN PROTEST) [140]

--- SAY [010] ---
SAY {SAYS SAID}
"""

TABLE = """16: SANCTION
160: SANCTION, ,  # Reduce relations
163: COERCE, restrict, diplomatic # Impose embargo
164: SANCTION, withdraw, diplomatic # Halt negotiations
17: COERCE
170: COERCE, , # Coerce
172: COERCE, restrict, executive # Impose administrative sanctions
1723: COERCE, curfew, pro_autocracy # Impose curfew
19: ASSAULT
190: ASSAULT, , military # Use conventional military force
14: PROTEST
140: PROTEST, , # Engage in political dissent
"""


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_cameo_lexicon", ROOT / "scripts" / "build_cameo_lexicon.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def toy_lexicon(build, tmp_path_factory):
    d = tmp_path_factory.mktemp("cameo")
    (d / "dict.txt").write_text(TOY, encoding="utf-8")
    (d / "table.txt").write_text(TABLE, encoding="utf-8")
    out = d / "cameo.tsv"
    assert build.main([str(d / "dict.txt"), "--plover", str(d / "table.txt"), "--out", str(out)]) == 0
    return out


def test_singular_gives_the_lemma_form(build):
    assert build.singular("SANCTIONS") == "sanction"
    assert build.singular("CLASHES") == "clash"
    assert build.singular("MILITIAS") == "militia"
    assert build.singular("RALLIES") == "rally"
    assert build.singular("TIES") == "tie"
    assert build.singular("PROCESS") == "process"


def test_codes_map_to_plover_types_by_longest_prefix(build):
    t = {"17": ("COERCE", None), "1723": ("COERCE", "curfew"), "16": ("SANCTION", None)}
    assert build.plover_of("1723", t) == ("COERCE", "curfew")
    assert build.plover_of("1711", t) == ("COERCE", None)
    assert build.plover_of("012", t) == ("NONE", None)        # statements: no PLOVER event
    assert build.plover_of("0256", t) == ("REQUEST", None)    # appeals
    assert build.clean_code("042:043") == "042" and build.clean_code(":173") == "173"
    assert build.clean_code("---") is None and build.clean_code("080!") == "080"


def test_the_file_names_its_source_licence_and_mapping(toy_lexicon):
    head = toy_lexicon.read_text(encoding="utf-8")
    assert "MIT License" in head and "Open Event Data Alliance" in head and "CAMEO2PLOVER" in head
    assert "petrarch2/data/dictionaries/CAMEO.2.0.txt" in head


def test_loader_reads_verbs_patterns_particles_and_sets(toy_lexicon):
    cam = load_cameo_lexicon(toy_lexicon)
    assert cam.verbs["impose"] == ("COERCE", None)
    assert cam.verbs["say"] == ("NONE", None)
    assert "halt" not in cam.verbs                       # a block without a code gives its verbs none
    assert cam.pattern("obj", "levy", "curfew") == ("COERCE", "curfew")     # a pattern holds for its block
    assert cam.pattern("obj", "impose", "sanction") == ("COERCE", "restrict")
    assert cam.pattern("obj", "impose", "rifle") == ("COERCE", "restrict")  # through the set &ARMS
    assert cam.pattern("obj", "impose", "shell") == ("COERCE", "restrict")  # a set member's head
    assert cam.pattern("subj", "halt", "mortar") is None                    # "MORTAR_SHELLS" -> shell
    assert cam.pattern("subj", "halt", "shell") == ("ASSAULT", None)
    assert cam.pattern("prep", "halt", "in protest") == ("PROTEST", None)
    assert cam.particles[("call", "off")] == ("SANCTION", None)
    assert cam.block_type("levy") == ("COERCE", "restrict")     # what IMPOSE's objects mostly give
    assert cam.block_type("halt") is None                        # too few patterns to say


def test_shipped_lexicon_is_small_and_loads():
    path = ROOT / "sitrep" / "data" / "events" / "cameo_verbs.tsv"
    assert path.stat().st_size < 400_000
    cam = Ontology.load().cameo()
    assert cam is not None and cam.verbs["kill"][0] == "ASSAULT"
    assert cam.pattern("obj", "impose", "curfew")[0] == "COERCE"


# ---------------------------------------------------------------------------------------------- rules
@pytest.fixture(scope="module")
def cam():
    return Ontology.load().cameo()


def _tok(annotate, text, word):
    doc = annotate(text).nlp_doc
    return next(t for t in doc if t.lower_ == word)


def test_rules_are_tried_most_specific_first():
    assert [name for name, _ in RULES] == ["prt", "obj", "comp", "prep", "subj", "verb"]


def test_infinitive_rule(annotate, cam):
    tok = _tok(annotate, "The two parties agreed to exchange prisoners next week.", "agreed")
    assert by_complement(tok, cam)[0] == "AGREE"


def test_particle_rule(annotate, cam):
    tok = _tok(annotate, "The rebels called off the planned talks with the army.", "called")
    assert by_particle(tok, cam)[0] == "SANCTION"
    assert reading(tok, cam)[2] == "prt"


def test_object_rule(annotate, cam):
    tok = _tok(annotate, "The governor imposed a curfew on the northern town.", "imposed")
    assert by_object(tok, cam) == ("COERCE", "curfew")
    assert reading(tok, cam) == ("COERCE", "curfew", "obj")


def test_preposition_rule(annotate, cam):
    tok = _tok(annotate, "Two farmers died in clashes near the river.", "died")
    assert by_preposition(tok, cam)[0] == "ASSAULT"


def test_subject_rule(annotate, cam):
    tok = _tok(annotate, "Aircraft pounded the hills all night.", "pounded")
    assert by_subject(tok, cam)[0] == "ASSAULT"


def test_verb_rule_and_statements(annotate, cam):
    tok = _tok(annotate, "The minister said the border was calm.", "said")
    assert by_verb(tok, cam) == ("NONE", None)
    assert readings(tok, cam)["verb"] == "NONE"


# ---------------------------------------------------------------------------------------------- fallback
def test_fallback_types_a_verb_the_lists_lack_only_where_they_find_nothing(annotate):
    onto = Ontology.load()
    trig = onto.triggers()
    sent = next(iter(annotate("Rebels ransacked the hilltop villages overnight.").nlp_doc.sents))
    tok = next(t for t in sent if t.lower_ == "ransacked")
    if tok.lemma_ not in trig.verbs:
        cands = find_triggers(sent, trig)
        assert [(c.tok.lower_, c.type, c.source) for c in cands] == [("ransacked", "ASSAULT", "cameo")]
    sent = next(iter(annotate("Troops shelled the town and ransacked the villages.").nlp_doc.sents))
    cands = find_triggers(sent, trig)
    assert all(c.source == "lexicon" for c in cands) and cands


def test_status_words_and_light_verbs_are_never_fallback_triggers(annotate):
    trig = Ontology.load().with_lexicon("cameo").triggers()
    doc = annotate("The council plans to launch an inquiry.").nlp_doc
    plans = next(t for t in doc if t.lower_ == "plans")
    launch = next(t for t in doc if t.lower_ == "launch")
    assert not unlisted(plans, trig) and not unlisted(launch, trig)


def test_cameo_alone_lexicon_types_without_triggers_yaml(annotate):
    onto = Ontology.load().with_lexicon("cameo")
    trig = onto.triggers()
    assert trig.cameo_alone and not trig.verbs and not trig.phrases
    sent = next(iter(annotate("The governor imposed a curfew on the town.").nlp_doc.sents))
    cands = find_triggers(sent, trig)
    assert ("imposed", "COERCE") in [(c.tok.lower_, c.type) for c in cands]
    with pytest.raises(ValueError):
        Ontology.load().with_lexicon("nope")
