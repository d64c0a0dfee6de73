"""Streaming ingestion: a large JSON Lines file through `sitrep run`, memory and progress over time.

Run by hand:
    python benchmarks/bench_stream_memory.py --size-mb 1000 --minutes 15 [--work /tmp/sitrep-stream]

Writes (once) a JSONL of ordinary-looking articles made from our own word lists (news-please fields:
title, maintext of ~2 KB, date_publish, url, source_domain, authors), then runs `sitrep run FILE` in a
subprocess and samples every 2 s: the resident memory of the run and of its worker processes (RSS, and
PSS, which counts pages shared by the forked workers once), and the documents and extractions stored.
Prints the curve and the time of the first stored document; stops the run after --minutes (the whole
pipeline on 500,000 articles takes hours on two cores).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOWNS = ["Binnish", "Sarmin", "Taftanaz", "Ariha", "Saraqib", "Maarrat Misrin", "Jisr al-Shughur", "Atarib",
         "Daraa", "Homs", "Hama", "Aleppo", "Idlib", "Raqqa", "Deir ez-Zor", "Qamishli", "Afrin", "Manbij"]
ACTORS = ["government forces", "rebel fighters", "the army", "an armed group", "police", "militants",
          "local defence units", "unidentified gunmen", "security forces", "protesters"]
VERBS = ["shelled", "attacked", "raided", "surrounded", "bombed", "stormed", "fired on", "clashed with"]
THINGS = ["a market", "a school", "a checkpoint", "a bakery", "a hospital", "farmland", "a bridge", "a village"]
SAY = ["a local council said", "rescuers said", "a monitoring group reported", "residents told reporters",
       "officials said", "a medical source said"]
FILLER = ["Talks between the parties were expected to resume later in the week.",
          "Aid agencies said supplies of fuel and flour were running low.",
          "Schools in the area remained closed for a third day.",
          "The road linking the two towns was reopened to traffic in the afternoon.",
          "Families who had fled earlier in the month began to return.",
          "Prices of bread and vegetables rose sharply in local markets.",
          "The governor called for calm and promised an investigation."]


SYLLABLES = ["ka", "ra", "mi", "do", "sel", "tan", "bur", "ha", "lo", "nes", "vi", "qar", "zu", "fen", "ol"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def article(rng: random.Random, k: int) -> dict:
    town = rng.choice(TOWNS)
    day = f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    paras = []
    while sum(len(p) for p in paras) < 1900:
        n = rng.randint(1, 40)
        paras.append(f"{rng.choice(ACTORS).capitalize()} {rng.choice(VERBS)} {rng.choice(THINGS)} in "
                     f"{rng.choice(TOWNS)} on the {rng.randint(1, 28)}th, killing {n} people and wounding "
                     f"{n + rng.randint(0, 30)}, {rng.choice(SAY)}. " + " ".join(rng.sample(FILLER, 1))
                     + f" Residents of {_word(rng).capitalize()} said {_word(rng)} {_word(rng)} and "
                     f"{_word(rng)} were {rng.choice(['closed', 'damaged', 'crowded', 'quiet'])} after the "
                     f"{_word(rng)} {rng.choice(['market', 'meeting', 'convoy', 'storm'])} of "
                     f"{_word(rng).capitalize()} {_word(rng).capitalize()}.")
    return {"title": f"Fighting near {town}: report {k}", "maintext": "\n\n".join(paras), "date_publish": day,
            "url": f"https://news.example.org/{day}/{k}", "source_domain": "news.example.org",
            "authors": [f"Reporter {k % 97}"], "language": "en"}


def make(path: Path, size_mb: int) -> int:
    rng = random.Random(13)
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        while f.tell() < size_mb * 1_000_000:
            f.write(json.dumps(article(rng, n)) + "\n")
            n += 1
    return n


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def _mem(pid: int) -> tuple[int, int, int]:
    """(RSS of the run, RSS of all its processes, PSS of all) in MB."""
    rss_main = rss = pss = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                fields = {ln.split(":")[0]: int(ln.split()[1]) for ln in f if ln.split()[-1] == "kB"}
        except (OSError, ValueError):
            continue
        if p == pid:
            rss_main = fields.get("Rss", 0)
        rss += fields.get("Rss", 0)
        pss += fields.get("Pss", 0)
    return rss_main // 1024, rss // 1024, pss // 1024


def _counts(db: Path) -> tuple[int, int]:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            return (con.execute("SELECT count(*) FROM documents").fetchone()[0],
                    con.execute("SELECT count(*) FROM extractions").fetchone()[0])
    except sqlite3.Error:
        return 0, 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=int, default=1000)
    ap.add_argument("--minutes", type=float, default=15)
    ap.add_argument("--work", type=Path, default=Path("/tmp/sitrep-stream"))
    ap.add_argument("--workers", default="0")
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    src = a.work / f"articles-{a.size_mb}mb.jsonl"
    if not src.exists():
        t = time.time()
        n = make(src, a.size_mb)
        print(f"wrote {src}: {n:,} articles, {src.stat().st_size / 1e6:.0f} MB in {time.time() - t:.0f} s")
    db = a.work / f"run-{a.size_mb}.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "sitrep.cli", "run", str(src), "--db", str(db),
                             "--workers", a.workers], env=env, stdout=subprocess.DEVNULL,
                            stderr=open(a.work / "run.err", "w"))
    first = None
    peak = (0, 0, 0)
    print(f"{'t (s)':>7} {'RSS main':>9} {'RSS all':>8} {'PSS all':>8} {'documents':>10} {'extracted':>10}")
    last_print = -1e9
    while proc.poll() is None and time.time() - t0 < a.minutes * 60:
        time.sleep(2)
        t = time.time() - t0
        mem = _mem(proc.pid)
        docs, ext = _counts(db)
        peak = tuple(max(x, y) for x, y in zip(peak, mem))
        if docs and first is None:
            first = t
            print(f"first documents stored after {t:.1f} s")
        if t - last_print >= 30:
            print(f"{t:7.0f} {mem[0]:8d}M {mem[1]:7d}M {mem[2]:7d}M {docs:10,d} {ext:10,d}", flush=True)
            last_print = t
    done = proc.poll() is not None
    if not done:
        proc.kill()
        proc.wait()
    docs, ext = _counts(db)
    print(f"{'finished' if done else 'stopped'} after {time.time() - t0:.0f} s: {docs:,} documents, {ext:,} "
          f"extracted; first stored after {first if first is None else round(first, 1)} s; peak RSS main "
          f"{peak[0]} MB, RSS all {peak[1]} MB, PSS all {peak[2]} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
