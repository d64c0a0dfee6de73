"""Workbench page times on a synthetic store (target at 10,000 incidents: the incidents page <= 300 ms of
server time, the map <= 1 s).

Run by hand: ``.venv/bin/python benchmarks/bench_serve.py [--incidents 10000] [--browser] [--keep DB]``.
Synthetic store: incidents at real Syrian communities (UN OCHA points from the shipped gazetteer), some at
province or country level, over three years, 16 PLOVER types, actors from a short list (one with an
accented name), 1-4 reports each from 30 outlets, invented one-line sentences, a few violations.
Server time is measured in-process (the handler, rendering included, through Starlette's test client);
``--browser`` also times the page in headless Chromium until the map and the timeline are drawn.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sitrep.records import (Actor, Count, DateInterval, Document, Extraction, Incident, Mention, Published,
                            Violation)
from sitrep.store.sqlite import SQLiteStore

TYPES = ["ASSAULT"] * 8 + ["COERCE"] * 2 + ["PROTEST", "CONSULT", "AGREE", "MOBILIZE", "AID", "ACCUSE", "THREATEN",
                                             "REQUEST", "SANCTION", "REJECT", "RETREAT", "SUPPORT", "COOPERATE",
                                             "CONCEDE"]
MODES = {"ASSAULT": ["aerial", "artillery", "ground", "firearms", "explosives", "drone"],
         "COERCE": ["arrest", "abduct"]}
ACTORS = [Actor("Syrian Arab Army", "government forces", "SYR", "MIL"), Actor("Russia", "Russian jets", "RUS", "MIL"),
          Actor("Hay'at Tahrir al-Sham", "HTS fighters", "SYR", "REB"), Actor("Turkey", "Turkish troops", "TUR", "MIL"),
          Actor("Recep Tayyip Erdoğan", "Erdoğan", "TUR", "GOV"), Actor(None, "civilians", "SYR", "CVL"),
          Actor("Syrian Democratic Forces", "SDF", "SYR", "REB")]
VERBS = ["struck", "shelled", "raided", "hit", "attacked", "targeted"]


def synthetic_store(path: Path, n: int, seed: int = 7) -> Path:
    from sitrep.kb.gazetteer import Gazetteer

    rnd = random.Random(seed)
    gaz = Gazetteer.load()
    towns = [e for e in gaz.entries if e.kind == "ocha"][:4000]
    provinces = [e for e in gaz.entries if e.kind == "ocha_admin" and e.feature == "A.ADM1"]
    country = gaz.entry("geonames:163843")
    outlets = [f"Outlet {k:02d}" for k in range(30)]
    start = date(2019, 1, 1)
    store = SQLiteStore(path)
    docs, incidents, violations = [], [], []
    n_docs = max(1, n // 3)
    for k in range(n_docs):
        day = start + timedelta(days=rnd.randrange(1095))
        docs.append(Document(f"doc{k:06d}", f"synthetic/{k}.txt", "", f"Synthetic report {k}", None,
                             rnd.choice(outlets), Published(day.isoformat(), "day", "stated", day.isoformat()), "en"))
    for k in range(n):
        r = rnd.random()
        e = country if r < 0.02 else rnd.choice(provinces) if r < 0.08 else rnd.choice(towns)
        place = e.place()
        t = rnd.choice(TYPES)
        mode = rnd.choice(MODES[t]) if t in MODES else None
        day = start + timedelta(days=rnd.randrange(1095))
        vague = rnd.random() < 0.1
        when = DateInterval(day.replace(day=1).isoformat(), (day.replace(day=28)).isoformat(), "month") if vague \
            else DateInterval(day.isoformat(), day.isoformat())
        actors = [Actor(**{**a.__dict__, "role": role}) for a, role in
                  zip(rnd.sample(ACTORS, rnd.randint(0, 2)), ("source", "target"))]
        mentions = []
        for j in range(rnd.choice([1, 1, 1, 2, 2, 3, 4])):
            d = docs[rnd.randrange(n_docs)]
            s = f"Forces {rnd.choice(VERBS)} {place.name} on {when.start}, report {k}-{j} says."
            mentions.append(Mention(d.id, len(d.text), len(d.text) + len(s), s, d.outlet, d.published.date))
            d.text += s + "\n"
        killed = {}
        if t == "ASSAULT" and rnd.random() < 0.6:
            v = rnd.randint(0, 40)
            killed = {"killed": Count(v, v, v + rnd.randint(0, 3))}
        inc = Incident(f"E{k:07d}{rnd.randrange(16**4):04x}", t, mode, "reported", when, place, actors, killed,
                       mentions, len({m.outlet for m in mentions}))
        incidents.append(inc)
        if t == "ASSAULT" and rnd.random() < 0.05:
            violations.append(Violation("Synthetic ceasefire", "cessation", inc.id, None, None,
                                        rnd.choice(["violation", "possible"]), "synthetic"))
    store.put_documents(docs)
    for d in docs:
        store.put_extraction(Extraction(d.id), "synthetic")
    store.replace_incidents(incidents, f"synthetic-{n}-{seed}")
    store.replace_violations("Synthetic ceasefire", violations)
    store.close()
    return path


def timed(client, url: str, repeat: int = 7) -> dict:
    """Server time of a page: the handler's wall and CPU time (its Server-Timing header), and the round trip
    through the test client (transfer and gzip included)."""
    wall, cpu, trip, size = [], [], [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = client.get(url)
        trip.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
        timing = dict(part.strip().split(";dur=") for part in r.headers["server-timing"].split(","))
        wall.append(float(timing["app"]))
        cpu.append(float(timing["cpu"]))
        size = len(r.content)
    med = lambda xs: round(statistics.median(xs), 1)  # noqa: E731
    return {"url": url, "server_ms": med(wall), "server_cpu_ms": med(cpu), "round_trip_ms": med(trip),
            "max_round_trip_ms": round(max(trip), 1), "bytes": size}


URLS = ["/incidents", "/incidents?sort=-killed", "/incidents?page=150", "/incidents?q=Erdogan",
        "/incidents?place=Idlib", "/incidents?type=ASSAULT&since=2020-01-01&until=2020-06-30",
        "/incidents?q=shelled&country=SYR&sources=2", "/api/map", "/api/timeline", "/api/map?type=ASSAULT",
        "/incidents/{id}"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=10_000)
    ap.add_argument("--browser", action="store_true", help="also time the page in headless Chromium")
    ap.add_argument("--keep", type=Path, default=None, help="build (or reuse) the store at this path")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    from starlette.testclient import TestClient

    from sitrep.serve.app import create_app

    db = args.keep or Path(tempfile.mkdtemp()) / "bench.db"
    t0 = time.perf_counter()
    if not db.exists():
        synthetic_store(db, args.incidents)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    app = create_app(db)
    t_start = time.perf_counter() - t0
    results = {"incidents": args.incidents, "store_build_s": round(t_build, 1), "startup_s": round(t_start, 1),
               "pages": []}
    time.sleep(3)                     # let the server's warm-up thread finish (basemap, area shapes)
    with TestClient(app) as client:
        some = app.state.workbench.db.execute("SELECT id FROM incident_index LIMIT 1 OFFSET 77").fetchone()[0]
        for url in URLS:
            results["pages"].append(timed(client, url.replace("{id}", some)))
        results["pages"].append(timed(client, "/incidents.csv?type=ASSAULT", repeat=2))
    if args.browser:
        results["browser"] = browser_times(app)
    print(f"{args.incidents:,} incidents; store built in {t_build:.1f} s, server start (index, knowledge base) "
          f"{t_start:.1f} s")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    results["load_average"] = round(load, 1)
    print(f"load average {load:.1f} on {os.cpu_count()} cores (wall times grow with it; CPU times do not)")
    print(f"{'page (medians of 7; CSV of 2)':60s} {'server':>8s} {'cpu':>8s} {'trip':>8s} {'bytes':>10s}")
    for p in results["pages"]:
        print(f"{p['url']:60s} {p['server_ms']:8.1f} {p['server_cpu_ms']:8.1f} {p['round_trip_ms']:8.1f} "
              f"{p['bytes']:10,d}")
    for k, v in results.get("browser", {}).items():
        print(f"browser: {k}: {v} ms")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


def browser_times(app) -> dict:
    """Navigation to the map and the timeline drawn, in Debian's Chromium (median of 3 loads, warm server)."""
    import socket
    import threading

    import uvicorn
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    out = {}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = b.new_page(viewport={"width": 1360, "height": 900})
        for name, url in (("incidents page, map and timeline drawn", "/incidents"),
                          ("filtered (ASSAULT)", "/incidents?type=ASSAULT")):
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}{url}")
                page.wait_for_selector("#map[data-ready='1']", timeout=30000)
                page.wait_for_selector("#timeline[data-ready='1']", timeout=30000)
                times.append((time.perf_counter() - t0) * 1000)
            out[name] = round(statistics.median(times))
        page.goto(f"http://127.0.0.1:{port}/incidents")
        page.wait_for_selector("#map[data-ready='1']")
        page.screenshot(path=str(Path(__file__).parent / "results" / "workbench.png"))
        b.close()
    srv.should_exit = True
    return out


if __name__ == "__main__":
    sys.exit(main())
