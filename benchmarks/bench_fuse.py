"""Fusion speed on synthetic mentions: 1k, 10k, 100k (target: 100k <= 30 s, near-linear).

Run by hand: ``.venv/bin/python benchmarks/bench_fuse.py [--sizes 1000 10000 100000]``.
Synthetic corpus: happenings spread over three years (or, with --constant-density, a period that grows with
the corpus) and a 300 x 300 km box, each reported by 1-8
mentions with jittered places, some month-precision dates, random actor countries and counts.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta

from sitrep.config import Config
from sitrep.fuse import fuse
from sitrep.records import Actor, Count, DateInterval, Document, EventMention, Place, Published

TYPES = ["ASSAULT", "COERCE", "CONSULT", "AGREE", "PROTEST", "MOBILIZE", "AID", "ACCUSE", "THREATEN", "REQUEST"]
COUNTRIES = ["SYR", "TUR", "RUS", "IRN", "USA"]


def synthetic(n: int, seed: int = 1, days: int = 1095) -> tuple[list[EventMention], list[Document]]:
    rnd = random.Random(seed)
    n_docs = max(10, n // 10)
    start = date(2019, 1, 1)
    docs = [Document(id=f"d{i}", path=f"d{i}", text=f"t{i}", outlet=f"outlet{i % 200}",
                     published=Published((start + timedelta(days=rnd.randrange(1100))).isoformat()))
            for i in range(n_docs)]
    mentions: list[EventMention] = []
    k = 0
    while len(mentions) < n:
        day = start + timedelta(days=rnd.randrange(days))
        lat, lon = 35.0 + rnd.random() * 2.7, 36.0 + rnd.random() * 3.3
        t = rnd.choice(TYPES)
        src = rnd.choice(COUNTRIES)
        for j in range(rnd.randint(1, 8)):
            if rnd.random() < 0.1:
                iv = DateInterval(day.replace(day=1).isoformat(),
                                  (day.replace(day=28)).isoformat(), "month")
            else:
                iv = DateInterval(day.isoformat(), day.isoformat(), "day")
            place = Place(f"p{lat:.2f}", "SYR", None, lat + rnd.gauss(0, 0.02), lon + rnd.gauss(0, 0.02), "town")
            d = docs[rnd.randrange(n_docs)]
            mentions.append(EventMention(
                id=f"m{len(mentions)}", doc=d.id, type=t, mode=None, status="reported", trigger="x", start=0, end=1,
                sentence="s", date=iv, location=place, actors=[Actor(src, src, src, "MIL", "source")],
                counts={"killed": Count(v, v, v)} if (v := rnd.randrange(20)) else {}))
        k += 1
    return mentions[:n], docs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--constant-density", action="store_true",
                    help="let the period grow with the corpus (about 90 mentions a day) instead of fixing 3 years")
    args = ap.parse_args(argv)
    rows = []
    for n in args.sizes:
        mentions, docs = synthetic(n, days=max(30, n // 90) if args.constant_density else 1095)
        t0 = time.perf_counter()
        incidents = fuse(mentions, docs, Config())
        dt = time.perf_counter() - t0
        rows.append({"mentions": n, "incidents": len(incidents), "seconds": round(dt, 2),
                     "us_per_mention": round(dt / n * 1e6, 1)})
        print(json.dumps(rows[-1]), file=sys.stderr)
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
