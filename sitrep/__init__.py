"""sitrep: news reports in, a sourced, dated, mapped record of what happened out."""
from sitrep.config import PIPELINE_VERSION, Config

__version__ = PIPELINE_VERSION
__all__ = ["Config", "run", "__version__"]


def run(paths, config: Config | None = None, **options):
    """Run the whole pipeline on files or folders; returns the run's result (see sitrep.pipeline)."""
    from sitrep.pipeline import run as _run
    return _run(paths, config or Config(**options))
