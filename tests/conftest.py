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


CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def browser_page():
    """A page in headless Debian Chromium, and the list its script errors and dialogs go to.
    Skips without Chromium, except on CI (CI=true), where the browser test must run."""
    import os

    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is required on CI (/usr/bin/chromium)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}")
                    if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
            page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
            yield page, errors
        finally:
            browser.close()


@pytest.fixture(scope="session")
def annotate():
    """Annotate a sentence we wrote, as a stated report of the given day (spaCy loads once)."""
    from sitrep.annotate import Annotator
    from sitrep.config import Config
    from sitrep.records import Document, Published

    annotator = Annotator(Config())

    def _annotate(text: str, published: str = "2021-06-10"):
        doc = Document(id="t", path="t", text=text, published=Published(published, status="stated"))
        return annotator.annotate(doc)
    return _annotate
