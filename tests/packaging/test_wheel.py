"""A plain ``pip install .`` works: the wheel carries every file the code reads.

An editable install reads files from the source tree, so only a real wheel,
installed into a venv of its own and run from somewhere else, shows that
``manifest.json``, the sample and the playground are shipped as package data.
The wheel is installed without its dependencies (they are borrowed from the test
venv through a ``.pth`` file, which adds paths but not the editable install's
finder), so the test stays fast and offline; ``.ci/run`` installs it with them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ("pyproject.toml", "README.md", "manifest.json", "core", "handlers", "bot", "emulator")

pytestmark = pytest.mark.slow


def _copy_source(target: Path) -> Path:
    """The files a build reads, copied, so parallel builds never share a ``build/``."""
    target.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules", "*.egg-info")
    for name in SHIPPED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh venv holding only the built wheel."""
    root = tmp_path_factory.mktemp("wheel")
    source = _copy_source(root / "src")
    pip = [sys.executable, "-m", "pip"]
    subprocess.run(
        [*pip, "wheel", "-q", "--no-deps", "-w", str(root / "dist"), str(source)], check=True
    )
    (wheel,) = (root / "dist").glob("statusbot-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [*pip, "--python", str(python), "install", "-q", "--no-deps", str(wheel)], check=True
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "borrowed-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return venv / "bin"


def _statusbot(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / "statusbot"), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_installed_wheel_answers_and_reads_its_own_files(
    installed: Path, tmp_path: Path
) -> None:
    located = subprocess.run(
        [str(installed / "python"), "-c", "import handlers; print(handlers.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(installed.parent) in located, "the test must run the wheel, not the source tree"
    answer = _statusbot(installed, tmp_path, "ask", "--sample", "show suspended")
    assert answer.returncode == 0, answer.stderr
    assert "Suspended" in answer.stdout
    assert "Traceback" not in answer.stderr
    helped = _statusbot(installed, tmp_path, "ask", "--sample", "help")
    assert helped.returncode == 0, helped.stderr
    demo = _statusbot(installed, tmp_path, "demo", "--help")
    assert demo.returncode == 0, demo.stderr
    assert "--port" in demo.stdout
