"""Whole-pipeline throughput: `sitrep run` on N FA-KES articles (real Syrian-war news, ~300 words each),
written as text files with a date header. Prints docs/s per stage and peak RSS.

    .venv/bin/python benchmarks/bench_pipeline.py --n 1000 --workers 2
"""
from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

from sitrep.config import Config
from sitrep.pipeline import run

FAKES = Path(__file__).resolve().parents[2] / "shared/data/outlets/fa_kes/fa_kes_dev.csv"


def write_corpus(folder: Path, n: int) -> int:
    rows = list(csv.DictReader(FAKES.open(encoding="utf-8")))
    words = 0
    for i in range(n):
        row = rows[i % len(rows)]
        # repeat rows get a distinct line so they are not all copies of one another
        text = f"title: {row['article_title']}\n\n{row['article_content']}\n\nCopy {i}.\n"
        words += len(row["article_content"].split())
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
    return words


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    if not FAKES.exists():
        sys.exit(f"needs {FAKES}")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        words = write_corpus(corpus, args.n)
        stages: dict[str, float] = {}
        last = [time.perf_counter(), None]

        def progress(stage, done, total):
            now = time.perf_counter()
            if last[1] != stage:
                last[:] = [now, stage]
                stages.setdefault(stage, 0.0)
            stages[stage] += now - last[0]
            last[0] = now

        t0 = time.perf_counter()
        result = run([corpus], Config(db=Path(tmp) / "b.db", out=Path(tmp) / "out",
                                      workers=args.workers), progress)
        total = time.perf_counter() - t0
        t1 = time.perf_counter()
        run([corpus], Config(db=Path(tmp) / "b.db", workers=args.workers))
        rerun = time.perf_counter() - t1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{args.n} docs, {words / args.n:.0f} words/doc, workers={args.workers}")
    print(f"end to end: {total:.1f} s = {args.n / total:.1f} docs/s; "
          f"incidents {len(result.incidents)}, errors {len(result.errors)}")
    for stage, secs in stages.items():
        print(f"  {stage:<8} {secs:6.1f} s")
    print(f"re-run on the unchanged corpus: {rerun:.1f} s")
    print(f"peak RSS: main {rss:.0f} MB, largest worker {child:.0f} MB")


if __name__ == "__main__":
    main()
