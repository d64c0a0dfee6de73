"""Coverage-guided fuzzing of the readers and ``to_document`` with atheris, for long runs by hand.

    pip install -c constraints.txt -e '.[fuzz]'
    python scripts/fuzz_atheris.py -atheris_runs=200000 [-max_len=20000] [CORPUS_DIR ...]

The first input byte picks the file name's extension (every reader's, plus none); the rest is the file.
A finding is any exception escaping ``iter_inputs``/``to_document``, a file that gives no item (a silent
drop), or a reason from the blanket handler (``INTERNAL``): each raises, and atheris saves the input.
Seed the corpus with ``python -m tests.fuzz.malformed CORPUS_DIR -n 200``.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import atheris  # noqa: E402

with atheris.instrument_imports():
    from sitrep.config import Config
    from sitrep.ingest import RawInput, iter_inputs, to_document
    from sitrep.ingest.readers import INTERNAL, READERS
    from sitrep.records import IngestError

EXTENSIONS = sorted(READERS) + ["", ".xml"]
CONFIG = Config(max_bytes=1_000_000)
FOLDER = Path(tempfile.mkdtemp(prefix="sitrep-atheris-"))


class Finding(Exception):
    """What the fuzzer reports: the input that caused it is saved by atheris."""


def test_one_input(data: bytes) -> None:
    if not data:
        return
    ext = EXTENSIONS[data[0] % len(EXTENSIONS)]
    path = FOLDER / f"input{ext}"
    path.write_bytes(data[1:])
    items = list(iter_inputs([str(path)], CONFIG))
    if not items:
        raise Finding(f"silent drop ({ext})")
    for item in items:
        if isinstance(item, RawInput):
            item = to_document(item, CONFIG)
        if isinstance(item, IngestError) and item.reason.startswith(INTERNAL):
            raise Finding(item.reason)


def main() -> None:
    os.environ.setdefault("SITREP_CACHE", str(FOLDER / "cache"))
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
