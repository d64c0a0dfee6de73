"""Agreements: loading and validation, metric geometry, decisions on constructed incidents, compliance
summary, and (once the pipeline runs) the seeds end to end."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pyproj import Geod

from sitrep.check import AgreementError, build_agreement, check, load_agreement, summarize, violation_to_dict
from sitrep.records import Actor, DateInterval, Disagreement, Incident, Place

AGREEMENTS = Path(__file__).resolve().parents[1] / "sitrep" / "data" / "agreements"
GEOD = Geod(ellps="WGS84")


# ------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def kb():
    from sitrep.kb import KnowledgeBase
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def moscow(kb):
    return load_agreement(AGREEMENTS / "moscow_2020.yaml", kb)


@pytest.fixture(scope="module")
def sochi(kb):
    return load_agreement(AGREEMENTS / "sochi_2018.yaml", kb)


def incident(id, start, place, actors, end=None, type="ASSAULT", mode="artillery", precision="day",
             disagreements=()):
    return Incident(id=id, type=type, mode=mode, status="reported",
                    date=DateInterval(start, end or start, precision), location=place, actors=list(actors),
                    counts={}, mentions=[], sources=1, disagreements=list(disagreements))


SYRIAN_ARMY = Actor(name=None, text="the Syrian army", country="SYR", sector="MIL", role="source")
TURKISH_ARMY = Actor(name=None, text="Turkish drones", country="TUR", sector="MIL", role="source")
REBELS = Actor(name=None, text="opposition fighters", country="SYR", sector="REB", role="target")


def place_at(lat, lon, precision="point", name="constructed"):
    return Place(name=name, country="SYR", lat=lat, lon=lon, precision=precision)


def north_of(lat, lon, km):
    """The point ``km`` due north of (lat, lon) on the ellipsoid (independent of the checker's projection)."""
    lon2, lat2, _ = GEOD.fwd(lon, lat, 0.0, km * 1000.0)
    return lat2, lon2


def results(violations, event, clause=None):
    return [v for v in violations if v.event == event and (clause is None or v.clause == clause)]


# Between Jisr al-Shughur and Ariha the gazetteer's M4 runs due east along 35.814° N (OCHA points C4199,
# C4278); a point on it, west of Ariha, inside the Trumba – Ain al-Havr stretch.
M4_POINT = (35.8141, 36.4626)


# ------------------------------------------------------------------------------------------- shipped files
def test_shipped_agreements_load(moscow, sochi):
    assert moscow.effective_from.isoformat() == "2020-03-06T00:01:00+02:00"
    assert {p.country for p in moscow.parties} == {"RUS", "TUR"}
    assert set(moscow.zones) >= {"deescalation_area", "m4_corridor", "m4_corridor_north", "m4_corridor_south"}
    # a 12 km corridor along ~55 km of road: 500-800 km², not a degree-based blob
    assert 500e6 < moscow.zones["m4_corridor"].geom_m.area < 800e6
    north, south = moscow.zones["m4_corridor_north"].geom_m, moscow.zones["m4_corridor_south"].geom_m
    assert north.intersection(south).area < 1e5
    assert abs(north.area + south.area - moscow.zones["m4_corridor"].geom_m.area) < 1e6
    assert north.centroid.y > south.centroid.y
    assert sochi.signed.isoformat() == "2018-09-17"
    assert sochi.zones["dmz"].geom_m.area < sochi.zones["deescalation_area"].geom_m.area
    assert len(sochi.points) >= 5 and all(p.held_by.country == "TUR" for p in sochi.points)
    assert all(35.0 < p.lat < 36.5 and 36.0 < p.lon < 37.5 for p in sochi.points)


def test_readme_example_loads(kb):
    text = (AGREEMENTS / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## A complete example\s+```yaml\n(.*?)```", text, re.S).group(1)
    a = build_agreement(yaml.safe_load(block), kb, label="README example")
    assert [c.id for c in a.clauses] == ["ceasefire", "joint_patrols"]
    assert a.points[0].held_by.country == "TUR"


# ------------------------------------------------------------------------------------------- the cases
def test_shelling_jabal_al_zawiya_sept_2020_violates_moscow(kb, moscow):
    jz = kb.places.candidates("Jabal al-Zawiya")[0]
    v = check([incident("jz", "2020-09-17", jz, [SYRIAN_ARMY, REBELS])], moscow, kb)
    cease = results(v, "jz", "ceasefire")
    assert [x.status for x in cease] == ["violation"]
    assert cease[0].party.country == "SYR" and cease[0].zone == "deescalation_area"
    assert "government" in cease[0].reason and "Russia" in cease[0].reason
    # the target is not taken for a perpetrator
    assert all(x.party.sector != "REB" for x in v)


def test_turkish_drone_strikes_1_march_2020_precede_moscow(kb, moscow, sochi):
    idlib = kb.places.get("ocha:SY07")
    inc = incident("tr", "2020-03-01", idlib, [TURKISH_ARMY], mode="drone")
    assert check([inc], moscow, kb) == []
    # it is the date that decides: the same strike falls under the earlier Sochi memorandum
    assert [x.status for x in results(check([inc], sochi, kb), "tr", "no_attacks")] == ["violation"]


def test_province_only_place_is_possible_for_the_m4_corridor(kb, moscow):
    idlib = kb.places.get("ocha:SY07")
    v = check([incident("prov", "2020-04-10", idlib, [SYRIAN_ARMY], mode="aerial")], moscow, kb)
    corridor = results(v, "prov", "m4_corridor")
    assert [x.status for x in corridor] == ["possible"]
    assert "too imprecise" in corridor[0].reason and "SY07" in corridor[0].reason
    # the whole governorate is inside the de-escalation area: a violation of the ceasefire clause
    assert [x.status for x in results(v, "prov", "ceasefire")] == ["violation"]


def test_five_km_inside_eight_km_outside_the_m4_corridor(moscow, kb):
    p5 = place_at(*north_of(*M4_POINT, 5), name="5 km north")
    p8 = place_at(*north_of(*M4_POINT, 8), name="8 km north")
    town5 = place_at(*north_of(*M4_POINT, 5), precision="town", name="town 5 km north")
    v = check([incident("p5", "2020-04-10", p5, [SYRIAN_ARMY]), incident("p8", "2020-04-10", p8, [SYRIAN_ARMY]),
               incident("t5", "2020-04-10", town5, [SYRIAN_ARMY])], moscow, kb)
    assert [x.status for x in results(v, "p5", "m4_corridor")] == ["violation"]
    assert results(v, "p8", "m4_corridor") == []
    assert [x.status for x in results(v, "p8", "ceasefire")] == ["violation"]
    # a town 5 km away has a ±3 km radius that crosses the 6 km edge
    assert [x.status for x in results(v, "t5", "m4_corridor")] == ["possible"]


def test_place_on_a_route_is_the_whole_road(kb, moscow):
    m4 = Place(name="M4", country="SYR", lat=None, lon=None, precision="route")
    got = results(check([incident("r", "2020-04-10", m4, [SYRIAN_ARMY])], moscow, kb), "r", "m4_corridor")
    # the road runs Latakia – Aleppo, the corridor only Trumba – Ain al-Havr
    assert [x.status for x in got] == ["possible"] and "anywhere on the route" in got[0].reason


@pytest.mark.parametrize("when, status", [
    ("2020-03-06T00:00:00+02:00", None),          # one minute before, Damascus time
    ("2020-03-06T00:02:00+02:00", "violation"),   # one minute after
    ("2020-03-05T21:59:00Z", None),               # 23:59 in Damascus
    ("2020-03-05T22:02:00Z", "violation"),        # 00:02 in Damascus
    ("2020-03-06T00:02:00", "violation"),         # no offset: the agreement's time zone
    ("2020-03-05", None),
    ("2020-03-06", "possible"),                   # the day straddles 00:01
    ("2020-03-07", "violation"),
])
def test_ceasefire_starts_at_0001_damascus_time(kb, moscow, when, status):
    jz = kb.places.candidates("Jabal al-Zawiya")[0]
    got = results(check([incident("t", when, jz, [SYRIAN_ARMY])], moscow, kb), "t", "ceasefire")
    assert [x.status for x in got] == ([status] if status else [])


def test_interval_straddling_the_start_is_possible_with_reason(kb, moscow):
    jz = kb.places.candidates("Jabal al-Zawiya")[0]
    got = results(check([incident("w", "2020-03-02", jz, [SYRIAN_ARMY], end="2020-03-08", precision="week")],
                        moscow, kb), "w", "ceasefire")
    assert [x.status for x in got] == ["possible"] and "straddles" in got[0].reason


def test_each_attribution_is_reported(kb, moscow):
    jz = kb.places.candidates("Jabal al-Zawiya")[0]
    hts = Actor(name="Hayat Tahrir al-Sham", text="HTS", country="SYR", sector="REB", role="source")
    dis = Disagreement("actors.source", [
        {"value": {"name": None, "text": "the Syrian army", "country": "SYR", "sector": "MIL"},
         "doc": "d1", "outlet": "Outlet A"},
        {"value": {"name": None, "text": "Turkish drones", "country": "TUR", "sector": "MIL"},
         "doc": "d2", "outlet": "Outlet B"}])
    inc = incident("att", "2020-05-01", jz, [SYRIAN_ARMY, TURKISH_ARMY, hts], disagreements=[dis])
    got = results(check([inc], moscow, kb), "att", "ceasefire")
    assert sorted(x.party.country for x in got) == ["SYR", "TUR"]          # HTS is excluded, not bound
    by = {x.party.country: x.reason for x in got}
    assert "Outlet A" in by["SYR"] and "Outlet B" in by["TUR"]
    assert "'government'" in by["SYR"] and "'opposition'" in by["TUR"]


def test_unnamed_perpetrator_is_possible(kb, moscow):
    jz = kb.places.candidates("Jabal al-Zawiya")[0]
    got = results(check([incident("anon", "2020-05-01", jz, [REBELS])], moscow, kb), "anon", "ceasefire")
    assert [x.status for x in got] == ["possible"] and got[0].party is None
    assert "no perpetrator" in got[0].reason


def test_non_assault_and_unreported_incidents_are_ignored(kb, moscow):
    jz = kb.places.candidates("Jabal al-Zawiya")[0]
    meeting = incident("m", "2020-05-01", jz, [SYRIAN_ARMY], type="CONSULT", mode="meeting")
    planned = incident("p", "2020-05-01", jz, [SYRIAN_ARMY])
    planned.status = "planned"
    assert check([meeting, planned], moscow, kb) == []


def test_place_outside_the_area(kb, moscow):
    homs = place_at(34.73, 36.72, precision="town", name="Homs")
    assert check([incident("h", "2020-05-01", homs, [SYRIAN_ARMY])], moscow, kb) == []


# ------------------------------------------------------------------------------------------- summary
def test_summarize_counts_zones_and_required_acts(kb, moscow):
    jz = kb.places.candidates("Jabal al-Zawiya")[0]
    p5 = place_at(*north_of(*M4_POINT, 5))
    patrol = incident("patrol", "2020-03-15", p5, [
        Actor(name="Russia", text="Russian military police", country="RUS", sector="MIL", role="source"),
        Actor(name="Turkey", text="Turkish troops", country="TUR", sector="MIL", role="source")],
        type="COOPERATE", mode="military")
    incs = [incident("a", "2020-09-17", jz, [SYRIAN_ARMY]), incident("b", "2020-09-19", p5, [SYRIAN_ARMY]),
            incident("c", "2020-03-06", jz, [SYRIAN_ARMY]), patrol]
    v = check(incs, moscow, kb)
    s = summarize(v, incs, moscow)
    assert s["name"] == moscow.name
    assert s["counts"]["by_clause"] == {"ceasefire": 2, "m4_corridor": 1}
    assert s["counts"]["by_week"] == {"2020-W38": 3}
    assert s["counts"]["by_zone"] == {"deescalation_area": 2, "m4_corridor": 1}
    assert s["counts"]["by_party"] == {"SYR MIL": 3} and s["counts"]["by_side"] == {"government": 3}
    assert s["counts"]["by_status"]["possible"] >= 1            # incident c: 6 March straddles 00:01
    fc = s["zones"]
    assert fc["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in fc["features"]}
    assert {"deescalation_area", "m4_corridor"} <= names
    from shapely.geometry import shape
    area = next(f for f in fc["features"] if f["properties"]["name"] == "deescalation_area")
    west, south, east, north = shape(area["geometry"]).bounds
    assert 35.5 < west < east < 37.5 and 35.0 < south < north < 36.8     # WGS84 degrees, lon first
    req = {r["expected_id"]: r for r in s["required"]}
    assert req["first_patrol"]["reported"] == ["patrol"] and not req["first_patrol"]["missing"]
    assert req["patrols_continue"]["missing"]
    assert all(set(r) >= {"clause", "expected", "reported", "missing"} for r in s["required"])


def test_violation_to_dict_matches_schema(kb, moscow):
    jz = kb.places.candidates("Jabal al-Zawiya")[0]
    d = violation_to_dict(check([incident("x", "2020-09-17", jz, [SYRIAN_ARMY])], moscow, kb)[0])
    assert set(d) == {"agreement", "clause", "event", "party", "zone", "status", "reason"}
    assert d["party"]["country"] == "SYR" and d["status"] == "violation" and d["event"] == "x"


# ------------------------------------------------------------------------------------------- validation
BASE = {
    "name": "t", "signed": "2020-03-05", "parties": [{"actor": "Nowhereland", "country": "NWL"}],
    "effective_from": "2020-03-06T00:01:00+02:00",
    "sides": {"all": {"binds": [{"country": "SYR"}]}},
    "zones": {"corridor": {"buffer": {"line": [[35.8, 36.3], [35.8, 36.7]], "km": 6}}},
    "clauses": [{"id": "c", "kind": "prohibited", "types": ["ASSAULT"], "by": ["all"], "zone": "corridor"}],
}


def _with(**changes):
    spec = yaml.safe_load(yaml.safe_dump(BASE))
    for path, value in changes.items():
        target = spec
        keys = path.split("__")
        for k in keys[:-1]:
            target = target[int(k)] if k.isdigit() else target[k]
        target[keys[-1]] = value
    return spec


@pytest.mark.parametrize("changes, message", [
    ({"clauses__0__zone": "corrider"},
     "moscow.yaml: clauses[0].zone: unknown zone 'corrider' (known: corridor)"),
    ({"effective_from": "2020-03-06T00:01:00"}, "effective_from: date-time without a time zone"),
    ({"clauses__0__types": ["SHELL"]}, "clauses[0].types: 'SHELL' is not a PLOVER type"),
    ({"clauses__0__by": ["rebels"]}, "clauses[0].by: unknown side 'rebels' (known: all)"),
    ({"clauses__0__kind": "forbidden"}, "clauses[0].kind: expected prohibited or required"),
    ({"zones__corridor__buffer__km": -1}, "zones.corridor.buffer.km: expected a positive number"),
    ({"zones__corridor": {"buffr": {}}}, "zones.corridor: give exactly one of buffer"),
    ({"sides__all__binds": [{"country": "Syria"}]}, "sides.all.binds[0].country: 'Syria' is not an ISO"),
    ({"timezone": "Mars/Olympus"}, "timezone: unknown IANA time zone"),
    ({"effective_until": "2020-03-01"}, "effective_until: is not after effective_from"),
    ({"colour": "red"}, "colour: unknown key"),
])
def test_validation_errors_name_file_and_field(changes, message):
    with pytest.raises(AgreementError) as e:
        build_agreement(_with(**changes), None, label="moscow.yaml")
    assert message in str(e.value)
    assert str(e.value).startswith("moscow.yaml: ")


def test_validation_needs_gazetteer_names(kb):
    spec = _with(zones__corridor={"buffer": {"route": "M99", "km": 6}})
    with pytest.raises(AgreementError, match=r"zones.corridor.buffer.route: unknown route 'M99'"):
        build_agreement(spec, kb, label="x.yaml")
    spec = _with(zones__corridor={"buffer": {"route": "M4", "from": "ocha:C0000000", "km": 6}})
    with pytest.raises(AgreementError, match=r"zones.corridor.buffer.from: place 'ocha:C0000000' not found"):
        build_agreement(spec, kb, label="x.yaml")
    spec = _with(zones__corridor={"admin": ["SY99"]})
    with pytest.raises(AgreementError, match=r"zones.corridor.admin\[0\]: unknown admin unit 'SY99'"):
        build_agreement(spec, kb, label="x.yaml")


def test_load_agreement_reports_yaml_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(AgreementError, match=r"^bad.yaml: cannot read"):
        load_agreement(bad, None)


# ------------------------------------------------------------------------------------------- geometry units
def test_buffers_are_metric_not_degrees():
    """A north–south line at 36.5° E, 6 km buffer. At 35.8° N, 0.06° of longitude is 5.4 km (6.7 km if a
    degree were taken as 111 km): inside even with the point's 0.5 km radius; 0.08° (7.2 km) is outside."""
    spec = _with(zones__corridor={"buffer": {"line": [[35.5, 36.5], [36.1, 36.5]], "km": 6}})
    a = build_agreement(spec, None)
    near = incident("near", "2020-05-01", place_at(35.8, 36.56), [SYRIAN_ARMY])
    far = incident("far", "2020-05-01", place_at(35.8, 36.58), [SYRIAN_ARMY])
    got = {v.event: v.status for v in check([near, far], a)}
    assert got == {"near": "violation"}


def test_side_of_a_route_splits_a_zone():
    spec = _with(zones__north={"side": {"of": "corridor", "line": [[35.8, 36.3], [35.8, 36.7]], "side": "north"}},
                 clauses__0__zone="north")
    a = build_agreement(spec, None)
    n = incident("n", "2020-05-01", place_at(*north_of(35.8, 36.5, 3)), [SYRIAN_ARMY])
    s = incident("s", "2020-05-01", place_at(*north_of(35.8, 36.5, -3)), [SYRIAN_ARMY])
    assert {v.event for v in check([n, s], a)} == {"n"}


# ------------------------------------------------------------------------------------------- end to end
def test_seeds_end_to_end(seeds_run, kb, moscow):
    from sitrep.store import open_store

    config, _ = seeds_run
    store = open_store(config)
    docs = {d.id: Path(d.path).name[:3] for d in store.documents()}
    incidents = store.incidents()
    found = check(incidents, moscow, kb)

    def of(seed):
        return {i.id for i in incidents if any(docs.get(m.doc) == seed for m in i.mentions)}

    sept = [i for i in incidents if i.id in of("002") and i.type == "ASSAULT" and i.date
            and i.date.start >= "2020-09-01"]
    assert sept, ("no September 2020 assault extracted from seed 002; its assaults are dated "
                  + str(sorted({(i.date.start, i.date.end) for i in incidents
                                if i.id in of("002") and i.type == "ASSAULT" and i.date})))
    gov = [v for v in found if v.event in {i.id for i in sept} and v.status == "violation"
           and v.party is not None and v.party.country == "SYR"]
    assert gov, "no September 2020 strike judged a violation by the Syrian government"
    march1 = {i.id for i in incidents if i.id in of("000") and i.type == "ASSAULT" and i.date
              and i.date.end <= "2020-03-01"}
    assert not [v for v in found if v.event in march1]
