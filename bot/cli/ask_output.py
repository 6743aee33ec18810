"""Where ``statusbot ask`` puts a reply's file (``export …``): the bot uploads it to
the space, a terminal has no space, so the file goes to disk and the answer says where.

Without ``--output`` the file keeps the name the bot gives it, in the current
folder, and never replaces one already there (a second export the same day
becomes ``…-2.csv``): asking twice must not destroy the first answer.
``--output FILE`` is an explicit choice and replaces ``FILE``.
"""

from __future__ import annotations

from pathlib import Path

from handlers.reply import ReplyFile

#: How many numbered names are tried before giving up (a folder full of exports).
MAX_NUMBERED = 1000


def save(file: ReplyFile, output: Path | None, folder: Path) -> Path:
    """Write ``file`` to ``output`` (replaced) or a new file in ``folder``; the path."""
    if output is not None:
        output.write_bytes(file.data)
        return output
    name = Path(Path(file.filename).name)  # never a folder from the reply
    for number in range(1, MAX_NUMBERED + 1):
        candidate = folder / (name.name if number == 1 else f"{name.stem}-{number}{name.suffix}")
        try:
            with candidate.open("xb") as written:
                written.write(file.data)
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"{folder / name}: and {MAX_NUMBERED - 1} numbered copies exist")
