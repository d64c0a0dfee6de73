from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder beside the checkout; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture(scope="session")
def seeds(shared) -> Path:
    path = shared / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/seeds is absent")
    return path


@pytest.fixture(scope="session")
def seeds_run(seeds, tmp_path_factory):
    """The main job on the five seed reports, once per test session, with both shipped agreements."""
    import sitrep
    from sitrep.config import DATA_DIR, Config

    tmp = tmp_path_factory.mktemp("seeds_run")
    agreements = (DATA_DIR / "agreements" / "moscow_2020.yaml", DATA_DIR / "agreements" / "sochi_2018.yaml")
    config = Config(db=tmp / "seeds.db", out=tmp / "out", agreements=agreements)
    result = sitrep.run([seeds], config)
    return config, result
