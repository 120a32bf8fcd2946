"""Reading a `cepa-registry/1` document from a file one record at a time (the standard library's JSON
scanner, C speed), so a document of millions of records never sits in memory whole.

`entries(path)` yields `(key, index, value)`: for a top-level list, one entry per item with its index;
for any other top-level value, one entry with index None. Invalid JSON raises ImportRefused with the
line and column, as `validation.parse` does.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cepa.interchange.validation import ImportProblem, ImportRefused

CHUNK = 1 << 20  # characters read at a time
_NOT_WHITESPACE = re.compile(r"[^ \t\n\r]")
# Between two items of a list: a comma, then the first character of the next item (not consumed).
_NEXT_ITEM = re.compile(r"[ \t\n\r]*,[ \t\n\r]*(?=[^ \t\n\r])")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


@dataclass
class Reading:
    """What the reader has seen so far of the text, for the caller."""

    # A \\u escape (the only way a NUL or a lone surrogate gets into a JSON string: the scanner refuses
    # control characters as they are, and UTF-8 cannot carry a surrogate).
    escapes: bool = False


class _Reader:
    def __init__(self, path: Path, reading: Reading) -> None:
        self.reading = reading
        self.file = path.open("rb")
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buffer = ""
        self.at = 0  # position in buffer
        self.eof = False
        self.lines_before = 0  # newlines in the text dropped from the buffer
        self.last_line_start = 0  # characters since the last dropped newline, as a negative offset
        self.dropped = 0
        self.tail = ""  # the last character read
        self.scanner = json.JSONDecoder(parse_constant=_refuse_constant)

    def close(self) -> None:
        self.file.close()

    def _more(self) -> bool:
        if self.eof:
            return False
        raw = self.file.read(CHUNK)
        try:
            text = self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as error:
            raise ImportRefused([ImportProblem("", "invalid JSON: the document is not UTF-8")]) from error
        if not raw:
            self.eof = True
        if not self.reading.escapes and ("\\u" in self.tail + text[:1] or "\\u" in text):
            self.reading.escapes = True
        self.tail = text[-1:] or self.tail
        if self.at > CHUNK:  # drop what was read
            consumed = self.buffer[: self.at]
            newlines = consumed.count("\n")
            if newlines:
                self.lines_before += newlines
                self.last_line_start = self.dropped + consumed.rfind("\n") + 1
            self.dropped += self.at
            self.buffer = self.buffer[self.at :]
            self.at = 0
        self.buffer += text
        return bool(text) or not self.eof

    def _position(self, at: int) -> tuple[int, int]:
        before = self.buffer[:at]
        newlines = before.count("\n")
        line = self.lines_before + newlines + 1
        column = at - before.rfind("\n") if newlines else self.dropped + at - self.last_line_start + 1
        return line, column

    def fail(self, message: str, at: int | None = None) -> ImportRefused:
        line, column = self._position(self.at if at is None else at)
        return ImportRefused([ImportProblem("", f"invalid JSON: {message} at line {line} column {column}")])

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end)."""
        while True:
            found = _NOT_WHITESPACE.search(self.buffer, self.at)
            if found is not None:
                self.at = found.start()
                return self.buffer[self.at]
            self.at = len(self.buffer)
            if not self._more():
                return ""

    def expect(self, character: str, what: str) -> None:
        if self.peek() != character:
            raise self.fail(f"Expecting {what}")
        self.at += 1

    def value(self) -> Any:
        if self.at >= len(self.buffer) or self.buffer[self.at] in " \t\n\r":
            self.peek()
        while True:
            try:
                value, end = self.scanner.raw_decode(self.buffer, self.at)
            except json.JSONDecodeError as error:
                if self._more():
                    continue
                raise self.fail(error.msg, error.pos) from error
            except ValueError as error:
                raise ImportRefused([ImportProblem("", f"invalid JSON: {error}")]) from error
            # A number (or literal) that ends where the text read so far ends may go on.
            if end == len(self.buffer) and not self.eof and not isinstance(value, dict | list | str):
                self._more()
                continue
            self.at = end
            return value


def entries(path: str | Path, reading: Reading | None = None) -> Iterator[tuple[str, int | None, Any]]:
    """The document's top-level entries in order: list items one by one, other values whole. `reading`
    follows what the reader has seen."""
    reader = _Reader(Path(path), reading or Reading())
    try:
        if reader.peek() != "{":
            value = reader.value()
            raise ImportRefused(
                [ImportProblem("", f"the document must be a JSON object, not {_kind(value)}")]
            )
        reader.at += 1
        if reader.peek() == "}":
            reader.at += 1
        else:
            while True:
                if reader.peek() != '"':
                    raise reader.fail("Expecting property name enclosed in double quotes")
                key = reader.value()
                reader.expect(":", "':' delimiter")
                if reader.peek() == "[":
                    reader.at += 1
                    index = 0
                    if reader.peek() == "]":
                        reader.at += 1
                        yield key, None, []
                    else:
                        while True:
                            yield key, index, reader.value()
                            index += 1
                            # The common case at once: a comma, then the next item (anything else, or
                            # the end of the text read so far, goes the general way below).
                            found = _NEXT_ITEM.match(reader.buffer, reader.at)
                            if found is not None:
                                reader.at = found.end()
                                continue
                            following = reader.peek()
                            reader.at += 1
                            if following == "]":
                                break
                            if following != ",":
                                raise reader.fail("Expecting ',' delimiter", reader.at - 1)
                else:
                    yield key, None, reader.value()
                following = reader.peek()
                reader.at += 1
                if following == "}":
                    break
                if following != ",":
                    raise reader.fail("Expecting ',' delimiter", reader.at - 1)
        if reader.peek() != "":
            raise reader.fail("Extra data")
    finally:
        reader.close()


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a number"
