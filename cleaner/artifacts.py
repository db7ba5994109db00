"""Saving and loading trained models, hash-checked.

Loading a joblib file runs code, so a model is loaded only when its sha256 equals the one recorded
in the manifest written beside it at training time (`<name>.manifest.json`). Only load model files
from places you trust: the manifest protects against corruption and accidental edits, not against
someone who can rewrite both files.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import joblib
import sklearn
from sklearn.exceptions import InconsistentVersionWarning

from .atomic import check_folder_writable, write_bytes, write_text
from .errors import InputError, ModelError
from .paths import cache_dir

MANIFEST_SUFFIX = ".manifest.json"


def manifest_path(model_path: Path) -> Path:
    return model_path.with_name(model_path.stem + MANIFEST_SUFFIX)


def save(model: object, path: Path, *, info: dict) -> dict:
    """Write model and manifest atomically; returns the manifest."""
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    data = buffer.getvalue()
    manifest = {
        "file": path.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "sklearn_version": sklearn.__version__,
        **info,
    }
    write_bytes(path, data)
    write_text(manifest_path(path), json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def read_manifest(path: Path, rebuild: str) -> dict:
    if not path.is_file():
        raise ModelError(f"{path}: no such model file; rebuild with `{rebuild}`")
    mpath = manifest_path(path)
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: no manifest ({mpath.name}) records its sha256; rebuild with `{rebuild}`") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"{mpath}: unreadable manifest ({exc}); rebuild with `{rebuild}`") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("sha256"), str):
        raise ModelError(f"{mpath}: not a model manifest (no sha256 recorded); rebuild with `{rebuild}`")
    return manifest


def recorded_command(path: Path) -> str | None:
    """The command its manifest says built the model at `path`, if the manifest can be read."""
    try:
        manifest = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    command = manifest.get("built_by") if isinstance(manifest, dict) else None
    return command if isinstance(command, str) else None


def check_model_out(path: Path, *, suffix: str) -> None:
    """Before training: `path` can take a model. A file name ending in `suffix` (so neither it nor
    its manifest can be a training data file), in a folder that can be written to."""
    if path.is_dir():
        raise InputError(str(path), f"a folder; --out names the model file (e.g. {path / ('model' + suffix)})")
    if path.suffix != suffix or path.name == suffix:
        raise InputError(str(path), f"--out names a file ending in {suffix}, as in model{suffix}")
    if path.parent.exists() and not path.parent.is_dir():
        raise InputError(str(path), f"{path.parent} is not a folder")
    try:
        check_folder_writable(path.parent)
    except OSError as exc:
        raise InputError(str(path), f"cannot write the model there ({exc.strerror or exc})") from None


def verify(path: Path, rebuild: str) -> str:
    """The model file's sha256, checked against its manifest without loading it; ModelError otherwise."""
    _, manifest = _checked_bytes(path, rebuild)
    return manifest["sha256"]


def _checked_bytes(path: Path, rebuild: str) -> tuple[bytes, dict]:
    """The model file's bytes, when they match the sha256 its manifest records, and the manifest."""
    manifest = read_manifest(path, rebuild)
    try:
        data = path.read_bytes()
    except OSError:
        raise ModelError(f"{path}: model file missing or unreadable; rebuild with `{rebuild}`") from None
    if hashlib.sha256(data).hexdigest() != manifest["sha256"]:
        raise ModelError(
            f"{path}: sha256 does not match the one recorded in {manifest_path(path).name} "
            f"(file altered or corrupt); refusing to load it; rebuild with `{rebuild}`"
        )
    return data, manifest


def load(path: Path, rebuild: str) -> tuple[object, dict]:
    """Load a model whose bytes match its manifest's sha256; ModelError otherwise."""
    data, manifest = _checked_bytes(path, rebuild)
    built_with = manifest.get("sklearn_version")
    try:
        with warnings.catch_warnings():
            if built_with != sklearn.__version__:  # one line below instead of a warning per estimator
                warnings.simplefilter("ignore", InconsistentVersionWarning)
            model = joblib.load(io.BytesIO(data))
    except Exception as exc:  # a pickle from another library version can fail in many ways
        raise ModelError(f"{path}: cannot be loaded ({type(exc).__name__}); rebuild with `{rebuild}`") from None
    if built_with != sklearn.__version__:
        print(
            f"cleaner: notice: {path} was built with scikit-learn {built_with}, installed is {sklearn.__version__}; "
            f"its labels may differ from its manifest's scores; rebuild with `{rebuild}`",
            file=sys.stderr,
        )
    return model, manifest


def rebuilt_path(path: Path, rebuild: str) -> Path | None:
    """Where the rebuild of a bundled model for the installed scikit-learn lives, or None when the
    bundled file itself was built with it."""
    manifest = read_manifest(path, rebuild)
    if manifest.get("sklearn_version") == sklearn.__version__:
        return None
    # Named after the bundled file it stands in for: a new bundled model (new code or data) is rebuilt.
    bundled = str(manifest.get("sha256", ""))[:12]
    return cache_dir() / f"{path.stem}-{bundled}-sklearn{sklearn.__version__}{path.suffix}"


def load_for_this_sklearn(path: Path, *, rebuild: str, retrain: Callable[[Path], dict]) -> tuple[object, dict]:
    """Load a bundled model; if another scikit-learn built it, retrain it once into the user cache."""
    cached = rebuilt_path(path, rebuild)
    if cached is None:
        return load(path, rebuild)
    manifest = read_manifest(path, rebuild)
    if cached.exists():
        try:
            model, cached_manifest = load(cached, rebuild)
            if cached_manifest.get("training_data_sha256") == manifest.get("training_data_sha256"):
                return model, cached_manifest
        except ModelError:
            pass  # a stale or broken cache entry is rebuilt below
    print(
        f"cleaner: notice: {path.name} was built with scikit-learn {manifest.get('sklearn_version')}, "
        f"installed is {sklearn.__version__}; retraining it from seeds/ into {cached}",
        file=sys.stderr,
    )
    try:
        retrain(cached)
    except OSError as exc:  # a read-only home or a full disk: else every page would retrain and fail
        with tempfile.TemporaryDirectory(prefix="cleaner-rebuild-") as scratch:
            kept = Path(scratch) / cached.name
            retrain(kept)
            print(
                f"cleaner: notice: cannot save the rebuild in {cached.parent} ({exc.strerror or exc}); "
                "it is used for this process only",
                file=sys.stderr,
            )
            return load(kept, rebuild)
    return load(cached, rebuild)
