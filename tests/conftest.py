from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLEANER_SHARED", REPO.parent / "shared"))


def shared_folder(relative: str, what: str) -> Path:
    """A folder of ../shared, or a skip saying what is missing (the material is not shipped)."""
    folder = SHARED / relative
    if not folder.is_dir():
        pytest.skip(f"{what} not available at {folder} (evaluation material, not shipped)")
    return folder


def copy_model(source: Path, folder: Path) -> Path:
    """A model file and its manifest copied into `folder` (to tamper with safely)."""
    from cleaner import artifacts

    target = folder / source.name
    shutil.copy(source, target)
    shutil.copy(artifacts.manifest_path(source), artifacts.manifest_path(target))
    return target


@pytest.fixture(scope="session")
def shared_checkthat() -> Path:
    return shared_folder("data/checkthat2023-en", "CheckThat! data")


@pytest.fixture(scope="session")
def shared_seeds() -> Path:
    return shared_folder("seeds", "shared seed pages")


@pytest.fixture(scope="session")
def scrapinghub() -> Path:
    return shared_folder("bench/scrapinghub", "scrapinghub benchmark")


@pytest.fixture(scope="session")
def demo_pages() -> list[Path]:
    return sorted((REPO / "seeds" / "demo").glob("*.txt"))
