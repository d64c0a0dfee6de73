"""Learn the attribution cue lexicon from the PolNeAR *train* split (never dev/test).

For every one-word cue form (said, told, warned, ...) it counts how often the form is annotated as a cue
and how often the same form occurs as a word in the train texts; forms with enough support and a high
enough ratio go to ``sitrep/data/quotes/cues_learned.yaml``. Only word forms and counts are written, no
text of the corpus. Run by hand:

    .venv/bin/python scripts/learn_quote_cues.py ../shared/data/quotes/polnear/data/train
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

MIN_CUE = 2          # annotated as a cue at least this often
MIN_RATIO = 0.1     # and in at least this share of its occurrences


def main(train: Path, out: Path) -> None:
    cue_forms: Counter = Counter()
    word_counts: Counter = Counter()
    texts: dict[str, str] = {}
    for ann in sorted((train / "attributions").glob("*.ann")):
        base = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        if base not in texts:
            texts[base] = (train / "text" / f"{base}.txt").read_text(encoding="utf-8")
            word_counts.update(w.lower() for w in re.findall(r"[A-Za-z]+", texts[base]))
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or not parts[0].startswith("T") or not parts[1].startswith("Cue "):
                continue
            words = re.findall(r"[A-Za-z]+", parts[2].lower())
            if len(words) == 1:
                cue_forms[words[0]] += 1
    learned = {}
    for form, n in cue_forms.most_common():
        ratio = n / max(word_counts[form], 1)
        if n >= MIN_CUE and ratio >= MIN_RATIO:
            learned[form] = {"n": n, "ratio": round(ratio, 3)}
    header = ("# One-word attribution cue forms learned from the PolNeAR train split (Newell et al. 2018,\n"
              "# networkdynamics/PolNeAR, research use) by scripts/learn_quote_cues.py: n = times annotated\n"
              "# as a cue, ratio = n / occurrences of the word form in the train texts. Forms and counts only.\n")
    out.write_text(header + yaml.safe_dump({"forms": learned}, sort_keys=False), encoding="utf-8")
    print(f"{len(learned)} cue forms -> {out}", file=sys.stderr)


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    main(Path(sys.argv[1]), root / "sitrep" / "data" / "quotes" / "cues_learned.yaml")
