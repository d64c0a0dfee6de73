"""The same input gives byte-identical exports whatever the hash seed, the worker count and the order the
files are named in (issue 10): the main job runs twice in fresh processes and the exports are compared."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPORTS = ("documents.jsonl", "events.jsonl", "figures.jsonl", "quotes.jsonl", "violations.jsonl")


def _run(tmp: Path, name: str, files: list[Path], seed: str, workers: str) -> Path:
    out = tmp / name
    env = dict(os.environ, PYTHONHASHSEED=seed)
    agreement = Path(__file__).resolve().parents[1] / "sitrep" / "data" / "agreements" / "moscow_2020.yaml"
    subprocess.run([sys.executable, "-m", "sitrep.cli", "run", "-", "--db", str(tmp / f"{name}.db"),
                    "--out", str(out), "--workers", workers, "--agreement", str(agreement)],
                   input="\n".join(str(f) for f in files), text=True, env=env, check=True,
                   capture_output=True, timeout=600)
    return out


@pytest.mark.slow
def test_exports_do_not_depend_on_hash_seed_workers_or_file_order(tmp_path, shared):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    files = []
    for src in sorted(EXAMPLES.iterdir()) + sorted((shared / "seeds").glob("*.txt")):
        dst = corpus / src.name
        shutil.copy(src, dst)
        files.append(dst)
    a = _run(tmp_path, "a", files, "1", "1")
    b = _run(tmp_path, "b", list(reversed(files)), "4242", "2")
    for name in EXPORTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
