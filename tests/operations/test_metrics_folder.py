"""The metrics folder's rules, in one process (the real-process tests are in test_instances)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.web.metrics_folder import LOCK_NAME, MetricsFolderError, claim


def test_a_half_made_folder_is_removed_and_a_live_one_kept(tmp_path: Path) -> None:
    live = claim(tmp_path)
    half_made = tmp_path / "run-halfmade"  # a start that died before its lock file
    half_made.mkdir()
    elsewhere = tmp_path / "notes"  # not ours: never touched
    elsewhere.mkdir()
    mine = claim(tmp_path)
    assert mine.removed == [half_made] and live.path.exists() and elsewhere.exists()
    assert (mine.path / LOCK_NAME).exists()
    live.release()
    mine.release()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "notes"]


def test_a_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    parent = tmp_path / "theirs"
    parent.mkdir()
    if os.geteuid() == 0:
        os.chown(parent, 65534, 65534)  # nobody's
    else:
        parent = Path("/")  # root's, and a folder: refused the same way
    with pytest.raises(MetricsFolderError, match="not a folder of this user"):
        claim(parent)


def test_a_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(MetricsFolderError, match="not a folder of this user"):
        claim(tmp_path / "link")
