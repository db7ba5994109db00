from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLEANER_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_checkthat() -> Path:
    folder = SHARED / "data" / "checkthat2023-en"
    if not folder.is_dir():
        pytest.skip(f"CheckThat! data not available at {folder} (evaluation material, not shipped)")
    return folder


@pytest.fixture(scope="session")
def shared_seeds() -> Path:
    folder = SHARED / "seeds"
    if not folder.is_dir():
        pytest.skip(f"shared seed pages not available at {folder} (evaluation material, not shipped)")
    return folder


@pytest.fixture(scope="session")
def demo_pages() -> list[Path]:
    return sorted((REPO / "seeds" / "demo").glob("*.txt"))


@pytest.fixture(scope="session")
def scrapinghub() -> Path:
    folder = SHARED / "bench" / "scrapinghub"
    if not folder.is_dir():
        pytest.skip(f"scrapinghub benchmark not available at {folder} (evaluation material, not shipped)")
    return folder
