"""Knowledge loaded from data files: who (actors), where (gazetteer), what (event ontology).

Loaded once per process and shared read-only by the per-document stages.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sitrep.config import Config


@dataclass
class KnowledgeBase:
    config: Config

    @classmethod
    def load(cls, config: Config | None = None) -> "KnowledgeBase":
        return cls(config or Config())

    @cached_property
    def actors(self):
        from sitrep.kb.actors import ActorRegistry
        return ActorRegistry.load(self.config.actor_files)

    @cached_property
    def places(self):
        from sitrep.kb.gazetteer import Gazetteer
        return Gazetteer.load(self.config.place_files)

    @cached_property
    def ontology(self):
        from sitrep.kb.ontology import Ontology
        return Ontology.load()
