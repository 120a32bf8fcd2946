"""Finding 1 of issue 12: no secret key is shipped in the code. Without CEPA_SECRET_KEY the first command
generates a random key, keeps it in the data folder for its owner alone, and later commands reuse it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cepa.secretkey import FILE_NAME, SecretKeyError, stored_secret_key

SRC = Path(__file__).resolve().parents[2]
SHIPPED_KEY = "cepa-development-key-not-for-production"


def key_of_a_command(data_dir: Path, **env: str) -> str:
    """The SECRET_KEY a fresh process of the project sees (as `cepa serve` or any command would)."""
    environment = {k: v for k, v in os.environ.items() if k != "CEPA_SECRET_KEY"}
    environment.update(
        PYTHONPATH=str(SRC), CEPA_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="cepa.settings", **env
    )
    done = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_without_a_configured_key_one_is_generated_stored_owner_only_and_reused(tmp_path: Path) -> None:
    first = key_of_a_command(tmp_path / "data")
    stored = tmp_path / "data" / FILE_NAME
    assert first != SHIPPED_KEY
    assert len(first) >= 50
    assert stored.read_text().strip() == first
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert key_of_a_command(tmp_path / "data") == first  # every later command reuses it
    assert key_of_a_command(tmp_path / "elsewhere") not in (first, SHIPPED_KEY)  # random, per data folder


def test_a_configured_key_is_used_and_nothing_is_stored(tmp_path: Path) -> None:
    assert key_of_a_command(tmp_path, CEPA_SECRET_KEY="k" * 60) == "k" * 60
    assert not (tmp_path / FILE_NAME).exists()


def test_no_key_is_written_in_the_code() -> None:
    package = SRC / "cepa"
    assert [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tests" not in path.parts and SHIPPED_KEY in path.read_text()
    ] == []
    settings_source = (package / "settings.py").read_text()
    assert 'env_str("CEPA_SECRET_KEY"' not in settings_source


def test_a_stored_key_others_could_read_is_taken_back_to_the_owner(tmp_path: Path) -> None:
    key = stored_secret_key(tmp_path)
    (tmp_path / FILE_NAME).chmod(0o644)
    assert stored_secret_key(tmp_path) == key
    assert stat.S_IMODE((tmp_path / FILE_NAME).stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME]  # no candidate file left behind


def test_an_unusable_stored_key_is_refused_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text("short\n")
    with pytest.raises(SecretKeyError, match="remove it to have a new one generated, or set CEPA_SECRET_KEY"):
        stored_secret_key(tmp_path)
    assert (tmp_path / FILE_NAME).read_text() == "short\n"


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from cepa.secretkey import stored_secret_key; "
        "print(stored_secret_key(Path(sys.argv[1])))"
    )
    environment = {**os.environ, "PYTHONPATH": str(SRC)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=environment
        )
        for _ in range(4)
    ]
    keys = {process.communicate()[0].strip() for process in processes}
    assert keys == {(tmp_path / FILE_NAME).read_text().strip()}
