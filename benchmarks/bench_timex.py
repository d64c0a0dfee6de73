"""Speed of the time-expression tagger (target: >= 200 documents/s of 500 words, one core).

Runs on the TempEval-3 AQUAINT texts from ../shared when present, else on invented filler text.
CPU time of this process is reported next to wall time (the machine may be shared).

    .venv/bin/python benchmarks/bench_timex.py
"""
from __future__ import annotations

import time
from pathlib import Path

from sitrep.annotate.timex import tag

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
AQUAINT = SHARED / "data" / "time" / "tempeval3" / "TBAQ-cleaned" / "AQUAINT"

FILLER = ("Government forces shelled the town on Thursday, two days after the truce of 5 March collapsed, "
          "residents said. The offensive, which began in early December, has displaced 900,000 people "
          "since the beginning of February, the UN said in a report published on Friday. ")


def texts() -> list[tuple[str, str | None]]:
    if AQUAINT.is_dir():
        from sitrep.eval.timex import load_gold
        return [(d.text, d.dct) for d in load_gold(AQUAINT)]
    return [(FILLER * 12, "2020-03-06")] * 50


def main(rounds: int = 3) -> None:
    docs = texts()
    words = sum(len(t.split()) for t, _ in docs)
    tag("warm up", "2020-01-01")
    best_wall = best_cpu = float("inf")
    for _ in range(rounds):
        w0, c0 = time.perf_counter(), time.process_time()
        for text, anchor in docs:
            tag(text, anchor)
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    per500 = words / 500
    print(f"{len(docs)} documents, {words} words")
    print(f"wall: {per500 / best_wall:.0f} docs/s of 500 words; cpu: {per500 / best_cpu:.0f} docs/s of 500 words")


if __name__ == "__main__":
    main()
