"""Per-document cost against length: one 300,000-character report against one of 3,000 words.

Run by hand:  python benchmarks/bench_long_report.py [--repeat 1]
Both reports are made of the same kind of paragraphs (our own word lists, as in bench_stream_memory.py),
cleaned by ``to_document`` and run through annotate → extract → resolve in this process (models loaded
first, outside the clock). The goal (issue 13): the long one in at most 20 times the time of the short one
(it is about 17 times longer, so the cost must be about linear in length).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_stream_memory import article  # noqa: E402

from sitrep.config import Config  # noqa: E402
from sitrep.ingest import RawInput, to_document  # noqa: E402
from sitrep.pipeline import process_document  # noqa: E402


def report(chars: int | None = None, words: int | None = None) -> str:
    rng = random.Random(5)
    paras: list[str] = []
    while (chars and sum(len(p) + 2 for p in paras) < chars) or (words and sum(len(p.split()) for p in paras) < words):
        paras.extend(article(rng, len(paras))["maintext"].split("\n\n"))
    text = "\n\n".join(paras)
    if chars:
        text = text[:chars]
    return "Fighting across the north: a long report\n\n" + text


def timed(text: str, config: Config) -> tuple[float, int]:
    doc = to_document(RawInput("long.txt", text, "text", {"date": "2021-06-01"}), config)
    t = time.perf_counter()
    ex = process_document(doc, config)
    return time.perf_counter() - t, len(getattr(ex, "events", []) or [])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    config = Config()
    timed(report(words=200), config)                       # load the models
    short, long_ = report(words=3000), report(chars=300_000)
    for _ in range(a.repeat):
        ts, es = timed(short, config)
        tl, el = timed(long_, config)
        print(f"3,000 words ({len(short):,} chars): {ts:.1f} s, {es} events; 300,000 chars "
              f"({len(long_.split()):,} words): {tl:.1f} s, {el} events; ratio {tl / ts:.1f} "
              f"(length ratio {len(long_) / len(short):.1f})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
