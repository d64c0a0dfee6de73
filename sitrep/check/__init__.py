"""Agreements (YAML) and checking incidents against their clauses.

``load_agreement(path, kb)`` reads and validates a file (format: ``sitrep/data/agreements/README.md``),
``check(incidents, agreement)`` lists violations and possible violations, ``summarize`` gives the
report's compliance data.
"""
from sitrep.check.agreement import (Agreement, AgreementError, Clause, NamedPoint, Side, Zone,
                                    build_agreement, load_agreement)
from sitrep.check.checker import check, violation_to_dict
from sitrep.check.summary import format_table, summarize, zones_geojson

from sitrep.config import DATA_DIR

AGREEMENTS_DIR = DATA_DIR / "agreements"
SHIPPED = ("sochi_2018.yaml", "moscow_2020.yaml")      # files in AGREEMENTS_DIR

__all__ = ["Agreement", "AgreementError", "Clause", "NamedPoint", "Side", "Zone", "build_agreement",
           "load_agreement", "check", "violation_to_dict", "summarize", "zones_geojson", "format_table", "AGREEMENTS_DIR", "SHIPPED"]
