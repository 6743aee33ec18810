"""The items of a top-level JSON array, one at a time, from a text stream.

The standard library parses whole documents only; a snapshot of 100,000
customers would then be held twice (the text and the objects). This reads the
stream in chunks and decodes one item at a time with ``raw_decode``, counting
lines, so an error can say where it is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

CHUNK = 1 << 20
_NUMBER_CHARACTERS = frozenset("0123456789.eE+-")


class JsonArrayError(ValueError):
    """The text is not a JSON array; ``line`` and ``value`` say where and what."""

    def __init__(self, line: int, value: str, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.value = value
        self.reason = reason


class _Reader:
    def __init__(self, stream: IO[str], chunk: int) -> None:
        self.stream = stream
        self.chunk = chunk
        self.buffer = ""
        self.position = 0
        self.line = 1
        self.exhausted = False

    def fill(self) -> bool:
        """Read another chunk, keeping what is left of the buffer."""
        chunk = self.stream.read(self.chunk)
        if not chunk:
            self.exhausted = True
            return False
        self.buffer = self.buffer[self.position :] + chunk
        self.position = 0
        return True

    def skip_space(self) -> None:
        while True:
            while self.position < len(self.buffer) and self.buffer[self.position] in " \t\r\n":
                if self.buffer[self.position] == "\n":
                    self.line += 1
                self.position += 1
            if self.position < len(self.buffer) or not self.fill():
                return

    def peek(self) -> str:
        return self.buffer[self.position] if self.position < len(self.buffer) else ""

    def near(self) -> str:
        return self.buffer[self.position : self.position + 20]


def iter_json_array(stream: IO[str], *, chunk: int = CHUNK) -> Iterator[tuple[int, int, Any]]:
    """Yield ``(line, index, item)`` for each item; raise JsonArrayError when broken."""
    decoder = json.JSONDecoder()
    reader = _Reader(stream, chunk)
    reader.skip_space()
    if reader.peek() != "[":
        raise JsonArrayError(reader.line, reader.near(), "expected a JSON list")
    reader.position += 1
    index = 0
    while True:
        reader.skip_space()
        if reader.peek() == "":
            raise JsonArrayError(reader.line, "", "the JSON list is not closed with ]")
        if reader.peek() == "]":
            return
        if index:
            if reader.peek() != ",":
                raise JsonArrayError(reader.line, reader.near(), "expected ,")
            reader.position += 1
            reader.skip_space()
        while True:
            try:
                item, end = decoder.raw_decode(reader.buffer, reader.position)
            except json.JSONDecodeError as error:
                if not reader.exhausted and reader.fill():
                    continue
                raise JsonArrayError(reader.line, "", f"not valid JSON: {error.msg}") from None
            except RecursionError:  # the decoder recurses per level: a hostile file's depth
                raise JsonArrayError(reader.line, "", "nested too deeply") from None
            # A number cut by the chunk decodes as a shorter one ("1" of "1.5"): read
            # on until a character that cannot continue it follows.
            cut = end == len(reader.buffer) or reader.buffer[end] in _NUMBER_CHARACTERS
            if cut and not reader.exhausted and reader.fill():
                continue
            break
        yield reader.line, index, item
        reader.line += reader.buffer.count("\n", reader.position, end)
        reader.position = end
        index += 1
