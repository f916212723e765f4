"""A JSON text read from a file a piece at a time, one value after another: a Bundle of any size is read entry
by entry with a few megabytes in memory. Each value is parsed by the standard library's C parser (with the
number limits of companion.fhir.limits); a value that breaks a limit is stepped over by a scan that keeps
nothing and recurses nowhere, so the next value can still be read.

Why not ijson: its C backend (3.6) crashes the process on an integer of over 4,300 digits, needs memory that
grows with the square of the nesting depth (a 100,000-level entry needs gigabytes), and with floats stops the
whole file at an integer beyond 64 bits; a records file must never do any of that to the window."""

from __future__ import annotations

import codecs
import json
import re
from typing import BinaryIO

from companion.fhir.limits import DECODER, DEEP, MAX_ENTRY_BYTES, NOT_UTF8, LimitError

CHUNK = 1 << 20
NOT_SPACE = re.compile(r"[^ \t\n\r]")
BAD_BYTES = re.compile("[\udc80-\udcff]")  # undecodable bytes, kept as lone surrogates (surrogateescape)
STRUCTURE = re.compile(r'[\[{]+|[\]}]+|"')
STRING_BODY = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)
SCALAR_END = re.compile(r"[,\]}\s]")


class Broken(Exception):
    """The text is not JSON from here on (or ends too soon): nothing after this point can be trusted."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class JsonStream:
    """The text of one file, held from the current position to the end of what has been read so far."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text = ""
        self.pos = 0
        self.eof = False
        self.bytes_read = 0
        self.span = (0, 0)  # where the last value read lies in the text
        self._lines_before = 0  # line breaks in the text already let go
        self._any_bad = False  # undecodable bytes so far: only then is a value searched for them
        self._unread_bad = False  # undecodable bytes in the text already let go

    def _fill(self, size: int = 0) -> bool:
        """Read more onto the text (letting go of what is behind the position); False at the end of the file."""
        if self.eof:
            return False
        data = self._handle.read(size or CHUNK)
        self.bytes_read += len(data)
        self.eof = not data
        new = self._decode(data)
        if self.pos:
            self._lines_before += self.text.count("\n", 0, self.pos)
            self._unread_bad = self._unread_bad or (self._any_bad and bool(BAD_BYTES.search(self.text, 0, self.pos)))
            self.text = self.text[self.pos :]
            self.pos = 0
        self.text += new
        return True

    def _decode(self, data: bytes) -> str:
        """UTF-8, strictly; a piece with bytes that are not UTF-8 is decoded again keeping each as a lone
        surrogate, so the entry holding it can be refused and the rest still read."""
        state = self._decoder.getstate()
        try:
            return self._decoder.decode(data, final=self.eof)
        except UnicodeDecodeError:
            self._decoder.setstate(state)
            self._decoder.errors = "surrogateescape"
            self._any_bad = True
            try:
                return self._decoder.decode(data, final=self.eof)
            finally:
                self._decoder.errors = "strict"

    def line(self, pos: int | None = None) -> int:
        """The line number of a position in the text (1 for the first line of the file)."""
        return self._lines_before + self.text.count("\n", 0, self.pos if pos is None else pos) + 1

    def column(self, pos: int) -> int:
        return pos - self.text.rfind("\n", 0, pos)

    def all_utf8(self) -> bool:
        """Whether everything read up to the position was UTF-8."""
        return not (self._unread_bad or (self._any_bad and BAD_BYTES.search(self.text, 0, self.pos)))

    def peek(self) -> str:
        """The next character that is not white space, or "" at the end of the file; the position moves to it."""
        while True:
            found = NOT_SPACE.search(self.text, self.pos)
            if found:
                self.pos = found.start()
                return self.text[self.pos]
            self.pos = len(self.text)
            if not self._fill():
                return ""

    def take(self, char: str, what: str) -> None:
        """Step over one expected character (":" or ","), or say the text is broken."""
        found = self.peek()
        if found != char:
            raise Broken(f"expected {what} at line {self.line()}" if found else "it ends too soon")
        self.pos += 1

    def value(self, limit: int = MAX_ENTRY_BYTES, decoder: json.JSONDecoder = DECODER) -> object:
        """The next JSON value, parsed (by `decoder`: limits.COUNTING for what is only counted). Raises LimitError
        when it breaks a limit (the position is then past it) and Broken when the text is not JSON here."""
        self.peek()
        while True:
            start = self.pos
            try:
                value, end = decoder.raw_decode(self.text, start)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(self.text) - 6 or exc.msg.startswith("Unterminated string")
                if cut and not self.eof:  # perhaps only cut off where the text read so far ends: read more
                    have = len(self.text) - start
                    if have > limit:
                        self.skip()
                        raise LimitError(f"longer than {limit // 1_000_000} MB") from None
                    self._fill(max(CHUNK, min(have, limit + 1 - have)))  # doubling, to just past the limit
                    continue
                if cut and start < len(self.text):
                    raise Broken(f"it ends in the middle of a value (from line {self.line(start)})") from None
                where = f"line {self.line(exc.pos)}, column {self.column(exc.pos)}"
                raise Broken(f"{exc.msg} {where}" if exc.msg.endswith(" at") else f"{exc.msg} at {where}") from None
            except RecursionError:
                self.skip()
                raise LimitError(DEEP) from None
            except LimitError:
                self.skip()
                raise
            if end == len(self.text) and not self.eof and self._fill():
                continue  # a number may go on in the next piece
            self.pos = end
            self.span = (start, end)
            if self._any_bad and BAD_BYTES.search(self.text, start, end):
                raise LimitError(NOT_UTF8)
            return value

    def strictly_again(self) -> object:
        """The value just read, parsed again with every check (limits.DECODER): one read by limits.COUNTING that
        turned out not to be what it announced. Its text is still held: it is let go only when more is read."""
        try:
            return DECODER.raw_decode(self.text, self.span[0])[0]
        except RecursionError:
            raise LimitError(DEEP) from None

    def brackets(self) -> int:
        """How many objects and arrays the last value read opens: its nesting can be no deeper."""
        start, end = self.span
        return self.text.count("{", start, end) + self.text.count("[", start, end)

    def skip(self) -> None:
        """Step over the value at the position without keeping it, whatever its depth or size."""
        first = self.peek()
        if first not in '[{"':
            while not (found := SCALAR_END.search(self.text, self.pos)):
                self.pos = len(self.text)
                if not self._fill():
                    return
            self.pos = found.start()
            return
        depth = 0
        while True:
            found = STRUCTURE.search(self.text, self.pos)
            if found is None:
                self.pos = len(self.text)
                if not self._fill():
                    raise Broken("it ends in the middle of a value")
                continue
            run = found.group()
            if run == '"':
                self.pos = found.end()
                self._skip_string()
            elif run[0] in "[{":
                depth += len(run)
                self.pos = found.end()
            else:
                if len(run) >= depth:
                    self.pos = found.start() + depth
                    return
                depth -= len(run)
                self.pos = found.end()
            if depth == 0:
                return

    def _skip_string(self) -> None:
        """From just inside a string to just past its closing quote."""
        while True:
            end = STRING_BODY.match(self.text, self.pos).end()
            if end < len(self.text) and self.text[end] == '"':
                self.pos = end + 1
                return
            self.pos = end  # at the end of the text read so far, or at a backslash whose escape is cut off
            if not self._fill():
                raise Broken("it ends in the middle of a text")
