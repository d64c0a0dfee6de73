"""Ingest throughput: FA-KES dev (../shared/data/outlets/fa_kes/fa_kes_dev.csv, Abu Salem et al. 2019, CC BY)
repeated to at least 10,000 articles, through iter_inputs + to_document + mark_copies.

Run by hand:  .venv/bin/python benchmarks/bench_ingest.py [--target 10000] [--csv PATH]
Prints documents per second and peak resident memory (resource.getrusage)."""
from __future__ import annotations

import argparse
import csv
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

from sitrep.config import Config
from sitrep.ingest import iter_inputs, mark_copies, to_document
from sitrep.records import Document

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "outlets" / "fa_kes" / "fa_kes_dev.csv"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--target", type=int, default=10_000)
    args = ap.parse_args()
    if not args.csv.is_file():
        print(f"missing {args.csv}", file=sys.stderr)
        return 1
    with open(args.csv, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    copies = -(-args.target // len(rows))
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "fa_kes_repeated.csv"
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=header)
        w.writeheader()
        for _ in range(copies):
            w.writerows(rows)
        big.write_text(buf.getvalue(), encoding="utf-8")
        cfg = Config()
        t0, c0 = time.perf_counter(), time.process_time()
        docs, errors = [], 0
        for raw in iter_inputs([big], cfg):
            d = to_document(raw, cfg) if not hasattr(raw, "reason") else raw
            if isinstance(d, Document):
                docs.append(d)
            else:
                errors += 1
        t1 = time.perf_counter()
        marked = mark_copies(docs, cfg)
        t2, c2 = time.perf_counter(), time.process_time()
    dups = sum(1 for d in marked if d.duplicate_of)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = len(docs) + errors
    print(f"inputs: {n} ({len(rows)} FA-KES dev rows x {copies}); documents: {len(docs)}; errors: {errors}; "
          f"marked as copies: {dups}")
    print(f"read+to_document: {t1 - t0:.1f} s ({n / (t1 - t0):.0f} docs/s); mark_copies: {t2 - t1:.1f} s")
    print(f"total: {n / (t2 - t0):.0f} docs/s wall, {n / (c2 - c0):.0f} docs/s of CPU time; peak RSS: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
