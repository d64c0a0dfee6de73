"""Run sitrep over many malformed files, 50 to a folder, and count what became of each.

    python scripts/fuzz_batches.py --files 10000 --work /tmp/fuzz [--seed 0] [--ingest-only] [--json OUT]

Each batch folder holds files from ``tests/fuzz/malformed.py`` (damaged samples of every format, hostile
names, a good sample every twelfth file) and a FIFO. Two passes per batch:
  1. the readers and ``to_document`` file by file: every file must end as documents or error lines
     (a "silent drop" otherwise), no reason may come from the blanket handler ("internal error");
     the time of each file is kept (the slowest are printed);
  2. ``sitrep run FOLDER`` as a user runs it (in this process, a fresh store per batch; every
     ``--cli-every``th batch): it must exit 0 or 1, every stderr line must be a known kind of line, one
     error line per error counted; the batch's CPU and wall time are kept (limit: 60 s of CPU).
Prints counts by outcome and the problems found, and writes them as JSON with --json.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzz.malformed import write_corpus  # noqa: E402

LINE_KINDS = re.compile(r"^(error |skipped |wrote |error: |\d+ documents: |(WARNING|ERROR) sitrep\.)")


def reason_class(reason: str) -> str:
    """The kind of a reason, without the details (numbers, names)."""
    r = re.sub(r"\(.*", "", reason)
    r = re.sub(r"[\d,]+", "N", r)
    return r.strip()[:60]


def ingest_pass(folder: Path, config) -> tuple[dict, list, list]:
    from sitrep.ingest import iter_inputs, to_document
    from sitrep.ingest.readers import INTERNAL, safe_path
    from sitrep.ingest import RawInput
    from sitrep.records import IngestError, Skipped

    names = sorted(os.listdir(os.fsencode(folder)))
    outcomes: dict[str, list[str]] = {safe_path(os.path.join(os.fsencode(folder), n)): [] for n in names}
    problems, timings = [], []
    for name in names:
        path = os.path.join(os.fsencode(folder), name)
        key = safe_path(path)
        t0 = time.perf_counter()
        items = list(iter_inputs([os.fsdecode(path)], config))
        for item in items:
            if isinstance(item, RawInput):
                item = to_document(item, config)
            if isinstance(item, Skipped):
                outcomes[key].append("skipped")
            elif isinstance(item, IngestError):
                outcomes[key].append("error: " + reason_class(item.reason))
                if item.reason.startswith(INTERNAL):
                    problems.append(("blanket handler", key, item.reason[:300]))
            else:
                outcomes[key].append("document")
        timings.append((time.perf_counter() - t0, key))
        if not items:
            problems.append(("silent drop", key, ""))
    return outcomes, problems, timings


def cli_pass(folder: Path, db: Path) -> tuple[float, list, dict]:
    """``sitrep run FOLDER`` in this process (models stay loaded between batches, as in one long run)."""
    import traceback

    from click.testing import CliRunner

    from sitrep.cli import main as cli
    t0, c0 = time.perf_counter(), time.process_time()
    res = CliRunner().invoke(cli, ["run", str(folder), "--db", str(db)])
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    crashed = res.exception is not None and not isinstance(res.exception, SystemExit)
    returncode = -1 if crashed else res.exit_code
    stderr = res.stderr + ("".join(traceback.format_exception(res.exception)) if crashed else "")
    problems = []
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    if returncode not in (0, 1):
        problems.append(("crash", str(folder), f"exit {returncode}: {stderr[-500:]}"))
    for ln in lines:
        if not LINE_KINDS.match(ln):
            problems.append(("unclear line", str(folder), ln[:300]))
    summary = next((ln for ln in lines if re.match(r"^\d+ documents: ", ln)), "")
    m = re.search(r"(\d+) errors, (\d+) skipped", summary)
    if not m:
        problems.append(("no summary line", str(folder), stderr[-300:]))
    else:
        n_err = sum(1 for ln in lines if ln.startswith("error "))
        n_skip = sum(1 for ln in lines if ln.startswith("skipped "))
        if (n_err, n_skip) != (int(m.group(1)), int(m.group(2))):
            problems.append(("line count", str(folder), f"{n_err} error lines, {n_skip} skipped lines; {summary}"))
    counts = {"exit": returncode, "cpu": cpu}
    return wall, problems, counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--work", type=Path, default=Path("/tmp/sitrep-fuzz"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ingest-only", action="store_true")
    ap.add_argument("--cli-every", type=int, default=1, help="run `sitrep run` on every Nth batch only")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()

    from sitrep.config import Config
    config = Config()
    outcome_counts: collections.Counter = collections.Counter()
    file_counts: collections.Counter = collections.Counter()
    problems: list = []
    timings: list = []
    batch_walls: list = []
    n_batches = -(-a.files // a.batch)
    reported = 0
    for b in range(n_batches):
        folder = a.work / f"batch-{b:04d}"
        n = min(a.batch, a.files - b * a.batch)
        write_corpus(str(folder), n, seed=a.seed * 100_000 + b)
        if hasattr(os, "mkfifo") and not (folder / "zz.fifo.txt").exists():
            os.mkfifo(folder / "zz.fifo.txt")
        outcomes, probs, times = ingest_pass(folder, config)
        problems += probs
        timings += times
        for key, outs in outcomes.items():
            outcome_counts.update(outs)
            kinds = {o.split(":")[0] for o in outs}
            file_counts["files"] += 1
            file_counts["with a document" if "document" in kinds else
                        "skipped (hidden)" if kinds == {"skipped"} else
                        "error lines only" if kinds else "silent drop"] += 1
        if not a.ingest_only:
            if b % a.cli_every == 0:
                wall, probs, info = cli_pass(folder, a.work / f"batch-{b:04d}.db")
                problems += probs
                file_counts["files through sitrep run"] += n
                batch_walls.append((round(info["cpu"], 1), round(wall, 1), str(folder)))
                if info["cpu"] > 60:
                    problems.append(("slow batch", str(folder), f"{info['cpu']:.1f} s of CPU, {wall:.1f} s wall"))
        for p in problems[reported:]:
            print("problem:", *p, file=sys.stderr, flush=True)
        reported = len(problems)
        print(f"batch {b + 1}/{n_batches}: {len(problems)} problems so far", file=sys.stderr, flush=True)
    timings.sort(reverse=True)
    batch_walls.sort(reverse=True)
    report = {
        "files": dict(file_counts),
        "outcomes": dict(outcome_counts.most_common()),
        "problems": collections.Counter(p[0] for p in problems),
        "problem_examples": problems[:30],
        "slowest_files": [(round(t, 2), k) for t, k in timings[:10]],
        "slowest_batches (cpu s, wall s)": batch_walls[:5],
    }
    print(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    if a.json:
        a.json.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
