"""A JSON file of one resource or a Bundle, read through companion.fhir.jsonstream: the Bundle's own members are
looked at, its entries handed on one at a time. A Bundle that breaks off half-way (cut short, or not JSON from
some point on) keeps the entries before the break, and the break is reported as one line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from companion.fhir.entries import NOT_READ, REST, NotFhir, RawEntry, checked, counted_only
from companion.fhir.jsonstream import Broken, JsonStream
from companion.fhir.limits import COUNTING, NOT_UTF8, LimitError
from companion.privacy.rules import LABEL_SYSTEMS, canonical_system

NOT_A_RESOURCE = "expected an object with a resourceType"
LATE_LABELS = "the Bundle's security labels (meta.security) come after its entries; every entry carries them"
LABELS_UNKNOWN = "labels never reached"  # (the line that says where the file breaks off says so)
LANGUAGE = "the Bundle's language"  # handed to the importer's second pass, wherever the Bundle names it
LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")  # BCP-47's shape; anything else names none
# A Bundle's meta that cannot be read (not UTF-8, nested too deep), or never reached: its labels are unknown, so it
# counts as restricted.
# Compressed and archive files by their first bytes (each format's magic number)
PACKED = {
    b"\x1f\x8b": "gzip",
    b"PK\x03\x04": "zip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
    b"7z\xbc\xaf\x27\x1c": "7-Zip",
}
UNREADABLE_LABELS = [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}]
# How an entry starts as servers and Synthea write it: its resource's type named first, so an entry of a type the
# import only counts (entries.counted_only) is parsed without the limits' checks (limits.COUNTING).
ANNOUNCED = re.compile(
    r'\{\s*(?:"fullUrl"\s*:\s*"[^"\\]*"\s*,\s*)?"resource"\s*:\s*\{\s*"resourceType"\s*:\s*"([A-Za-z]{1,64})"'
)


def refuse_packed(path: Path) -> None:
    """Raises NotFhir for a compressed or archive file (a Bulk export's files are often sent gzipped), which would
    otherwise read as text that is not UTF-8."""
    with path.open("rb") as handle:
        start = handle.read(6)
    packed = next((name for magic, name in PACKED.items() if start.startswith(magic)), None)
    if packed is not None:
        raise NotFhir(f"it is a {packed} file: unpack it first, then import what it holds")


def sniff_json(path: Path) -> str:
    """The kind of file from its start: "Bundle", another resourceType, or "ndjson" (NDJSON with a .json name);
    raises NotFhir. Of a Bundle only its own members up to its entries are read here."""
    with path.open("rb") as handle:
        start = handle.read(4)
        if start.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in start:  # JSON text starts with no NUL
            raise NotFhir(f"it is {NOT_UTF8} (UTF-16 or UTF-32: save it as UTF-8)")
        handle.seek(0)
        stream = JsonStream(handle)
        try:
            kind = _kind(stream)
        except Broken as exc:
            raise NotFhir(exc.reason if stream.all_utf8() else f"it is {NOT_UTF8}") from None
        except LimitError as exc:
            raise NotFhir(f"it is {NOT_UTF8}" if str(exc) == NOT_UTF8 else NOT_A_RESOURCE) from None
        if not stream.all_utf8():
            raise NotFhir(f"it is {NOT_UTF8}")
    return kind if kind == "Bundle" else _one_or_many(path, kind)


def _kind(stream: JsonStream) -> str:
    """The resourceType of the object the file starts with, having checked that a Bundle's entry is a list."""
    if stream.peek() != "{":
        stream.value()  # the parser says what is wrong (raises Broken), or it is JSON but not an object
        raise NotFhir(NOT_A_RESOURCE)
    stream.pos += 1
    kind, entry_ok = "", True
    for key in _members(stream):
        if key == "resourceType":
            kind = stream.value()
            if not isinstance(kind, str) or not kind:
                raise NotFhir(NOT_A_RESOURCE)
        elif key == "entry" and stream.peek() == "[":
            if kind == "Bundle":
                break  # the entries are read when the file is imported
            stream.skip()  # before the resourceType: step over them to find it
        elif key == "entry":
            entry_ok = stream.value() is None  # else not a list (null is no entries)
        else:
            stream.skip()
        if kind and (kind != "Bundle" or not entry_ok):
            break
    if not kind:
        raise NotFhir(NOT_A_RESOURCE)
    if kind == "Bundle" and not entry_ok:
        raise NotFhir("its entry is not a list")
    return kind


def _one_or_many(path: Path, kind: str) -> str:
    """A single resource, or NDJSON with a .json name (a second value on a later line)."""
    with path.open("rb") as handle:
        stream = JsonStream(handle)
        try:
            stream.value()
        except LimitError as exc:
            if str(exc) == NOT_UTF8:
                raise NotFhir(f"it is {NOT_UTF8}") from None
        except Broken as exc:
            raise NotFhir(exc.reason) from None
        end = stream.pos
        if not stream.peek():
            return kind
        if "\n" in stream.text[end : stream.pos]:
            return "ndjson"
        raise NotFhir(f"Extra data at line {stream.line()}, column {stream.column(stream.pos)}")


def _members(stream: JsonStream) -> Iterator[str]:
    """The names of the object just opened, the stream left at each one's value (the caller reads or skips it)."""
    first = True
    while stream.peek() != "}":
        if not first:
            stream.take(",", "a comma")
        first = False
        try:
            key = stream.value()
        except LimitError as exc:  # a name too long to read, or not UTF-8: the object cannot be followed
            raise Broken(f"a name that cannot be read ({exc}) at line {stream.line()}") from None
        if not isinstance(key, str):
            raise Broken(f"expected a name in quotes at line {stream.line()}")
        stream.take(":", "a colon")
        yield key
    stream.pos += 1


class BundleReader:
    """The entries of one JSON file, numbered as the Bundle numbers them (from 0)."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path, self.kind = path, kind
        self.index = 0
        self.listed = False  # the whole list of entries has been read
        self.newest_first = False  # a `history` Bundle (its type named before its entries, as servers write it)
        self.meta_read = False  # its own meta, with any security labels, has been read

    def entries(self, read: Callable[[int], None]) -> Iterator[RawEntry]:
        with self.path.open("rb") as handle:
            stream = JsonStream(handle)
            try:
                if self.kind != "Bundle":
                    yield self._resource(stream)
                else:
                    stream.take("{", "an object")
                    labels: list[dict] = []
                    for key in _members(stream):
                        if key == "entry" and stream.peek() == "[":
                            yield from self._entries(stream, read, labels)
                        elif key == "language":  # every entry not naming its own is in it (plan._map)
                            language = _type_of(stream)
                            if isinstance(language, str) and LANGUAGE_CODE.fullmatch(language.strip()):
                                said = {"resourceType": "Bundle", "language": language.strip()}
                                yield RawEntry(None, said, problem=LANGUAGE, what=REST)
                        elif key == "type":
                            self.newest_first = _type_of(stream) == "history"
                        elif key == "meta":  # named twice, both count: a label is never dropped
                            labels, self.meta_read = [*labels, *_security_of(stream)], True
                            if labels and self.listed:  # the importer's first pass hands them to its second
                                late = {"resourceType": "Bundle", "meta": {"security": labels}}
                                yield RawEntry(None, late, problem=LATE_LABELS, what=REST)
                        else:
                            stream.skip()  # the Bundle's own id, timestamp...: nothing this app uses
                    if (
                        stream.peek()
                    ):  # a second Bundle after it (`cat a.json b.json`, a feed's lines): never dropped unsaid
                        yield RawEntry(None, None, problem=_more_after(stream), what=REST)
            except Broken as exc:
                unknown = self.kind == "Bundle" and self.index > 0 and not self.meta_read  # it may come after them
                yield self._broken(exc.reason, unknown)
                if unknown:
                    labels_of = {"resourceType": "Bundle", "meta": {"security": UNREADABLE_LABELS}}
                    yield RawEntry(None, labels_of, problem=LABELS_UNKNOWN, what=REST)
            read(stream.bytes_read)

    def _resource(self, stream: JsonStream) -> RawEntry:  # what follows it: refused or read as NDJSON (sniff_json)
        try:
            data = stream.value()
        except LimitError as exc:
            return RawEntry(None, None, problem=str(exc), what=NOT_READ)
        if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
            return RawEntry(None, None, problem=NOT_A_RESOURCE)
        return checked(None, data, stream.brackets(), stream.span[1] - stream.span[0])

    def _entries(self, stream: JsonStream, read: Callable[[int], None], labels: list[dict]) -> Iterator[RawEntry]:
        stream.pos += 1  # the [
        if stream.peek() == "]":
            stream.pos += 1
            self.listed = True
            return
        while True:
            try:
                entry, counted = _entry_value(stream)
            except LimitError as exc:
                yield RawEntry(self.index, None, problem=str(exc), what=NOT_READ)
            else:  # how deep a counted entry nests is not looked at (entries.checked): its brackets are not counted
                shape = (0 if counted else stream.brackets(), stream.span[1] - stream.span[0])
                for found in _entry_or_its_entries(self.index, entry, shape, labels):
                    yield replace(found, newest_first=True) if self.newest_first else found
            read(stream.bytes_read)
            self.index += 1
            char = stream.peek()
            if not char:
                raise Broken("it ends before its list of entries does")
            stream.pos += 1
            if char == "]":
                self.listed = True
                return
            if char != ",":
                raise Broken(f"expected a comma between entries at line {stream.line(stream.pos - 1)}")

    def _broken(self, reason: str, labels_unknown: bool) -> RawEntry:
        if self.kind != "Bundle":
            return RawEntry(None, None, problem=reason, what=NOT_READ)
        private = " (private: the Bundle's security labels were never reached)" if labels_unknown else ""
        if self.listed:
            problem = f"every entry was read, then the file breaks off: {reason}; the entries are kept{private}"
            return RawEntry(None, None, problem=problem, what=REST)
        kept = f"the entries before it are kept{private}, none from here on"
        return RawEntry(self.index, None, problem=f"the file breaks off here: {reason}; {kept}", what=REST)


def _more_after(stream: JsonStream) -> str:
    return (
        f"the file goes on after its Bundle, at line {stream.line()}: what follows was not read (a Bundle or resource "
        "per line is NDJSON: import the file named .ndjson, or each Bundle in a file of its own)"
    )


def _entry_value(stream: JsonStream) -> tuple[object, bool]:
    """The next entry, parsed, and whether it is only counted. One that announces a resource of a type the import
    only counts (entries.counted_only) is parsed without the limits' checks (limits.COUNTING), then checked to be
    what it announced; one that is not (its type named twice, say) is parsed again with every check."""
    stream.peek()
    announced = ANNOUNCED.match(stream.text, stream.pos)
    kind = announced.group(1) if announced else None
    if kind is None or not counted_only(kind):
        return stream.value(), False
    try:
        entry = stream.value(decoder=COUNTING)
    except LimitError:
        raise
    except ValueError:  # an integer longer than Python converts (limits.COUNTING): the position has not moved
        return stream.value(), False
    resource = entry.get("resource") if type(entry) is dict else None
    if type(resource) is dict and resource.get("resourceType") == kind:
        return entry, True
    return stream.strictly_again(), False


def _type_of(stream: JsonStream) -> object:
    """The Bundle's type (the stream at its value); None when it cannot be read."""
    try:
        return stream.value()
    except LimitError:
        return None


def _security_of(stream: JsonStream) -> list[dict]:
    """The security labels of the Bundle's meta (the stream at its value)."""
    try:
        meta = stream.value()
    except LimitError:
        return UNREADABLE_LABELS
    security = meta.get("security") if isinstance(meta, dict) else None
    return [label for label in security if isinstance(label, dict)] if isinstance(security, list) else []


def labelled(resource: dict, labels: list[dict]) -> dict:
    """A Bundle's security labels hold for everything in it: each entry's resource carries them with its own. Not
    a Patient: their own labels restrict every fact about them, in later files too (companion.fhir.writer), and a
    Bundle's say only what this file holds is restricted."""
    meta = resource.get("meta", {})
    if not labels or not isinstance(meta, dict) or resource.get("resourceType") == "Patient":
        return resource  # a meta that is not an object fails validation as it is
    own = meta.get("security") if isinstance(meta.get("security"), list) else []
    return {**resource, "meta": {**meta, "security": [*own, *(label for label in labels if label not in own)]}}


def own_labels(resource: dict) -> list[dict]:
    """A resource's own security labels (meta.security, and meta.tag entries of a label's system), as clean
    codings (system and code only, trimmed) that may be given to other resources without making them invalid."""
    meta = resource.get("meta")
    if not isinstance(meta, dict):
        return []
    security = meta.get("security") if isinstance(meta.get("security"), list) else []
    tags = meta.get("tag") if isinstance(meta.get("tag"), list) else []
    found = []
    for coding in [*security, *tags]:
        system = coding.get("system") if isinstance(coding, dict) else None
        code = coding.get("code") if isinstance(coding, dict) else None
        if not isinstance(code, str) or not code.strip() or (system is not None and not isinstance(system, str)):
            continue
        if coding in tags and canonical_system(system or "") not in LABEL_SYSTEMS:
            continue  # a tag of another system ("SUBSETTED") is no security label
        found.append({"system": system.strip(), "code": code.strip()} if system else {"code": code.strip()})
    return found


def entries_of_bundle(index: int, bundle: dict, shape: tuple[int, int]) -> list[RawEntry] | None:
    """The entries of a Bundle read whole, as an NDJSON line holds one (some exporters write a patient's Bundle per
    line): its security labels hold for each entry, a `history` Bundle lists versions newest first. None when it
    lists no entries: it is then a resource like any other (a Bundle, which the app does not use)."""
    if not isinstance(bundle.get("entry"), list):
        return None
    history = bundle.get("type") == "history"
    labels = _bundle_labels(bundle)
    found = [entry for item in bundle["entry"] for entry in _entry_or_its_entries(index, item, shape, labels)]
    return [replace(entry, newest_first=True) for entry in found] if history else found


def _entry_or_its_entries(index: int, entry: object, shape: tuple[int, int], labels: list[dict]) -> list[RawEntry]:
    """An entry, or the entries of the Bundle it holds: a batch-response answers each search with a searchset
    Bundle, and what they found is the file's content (the inner Bundle's labels hold for its entries too). One
    level: a Bundle nested deeper is not a shape servers send, and is counted as not used."""
    inner = entry.get("resource") if isinstance(entry, dict) else None
    if not (isinstance(inner, dict) and inner.get("resourceType") == "Bundle" and isinstance(inner.get("entry"), list)):
        found = _entry(index, entry, shape, labels)
        return [] if found is None else [found]
    held = [*labels, *_bundle_labels(inner)]
    return [found for nested in inner["entry"] if (found := _entry(index, nested, shape, held)) is not None]


def _bundle_labels(bundle: dict) -> list[dict]:
    """A Bundle read whole: its own security labels (meta.security), which hold for every entry."""
    meta = bundle.get("meta")
    own = meta.get("security") if isinstance(meta, dict) and isinstance(meta.get("security"), list) else []
    return [label for label in own if isinstance(label, dict)]


def _entry(index: int, entry: object, shape: tuple[int, int], labels: list[dict]) -> RawEntry | None:
    if not isinstance(entry, dict):
        return RawEntry(index, None, problem="the entry is not a JSON object")
    resource = entry.get("resource")
    if resource is None:  # a DELETE request (a transaction's, or a deletion a `history` Bundle lists), else nothing
        request = entry.get("request")
        url = request.get("url") if isinstance(request, dict) and request.get("method") == "DELETE" else None
        full_url = entry.get("fullUrl") if isinstance(entry.get("fullUrl"), str) else None
        return RawEntry(index, None, full_url, deleted=url) if isinstance(url, str) and url else None
    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        return RawEntry(index, None, problem="the entry's resource has no resourceType")
    full_url = entry.get("fullUrl") if isinstance(entry.get("fullUrl"), str) else None
    return checked(index, labelled(resource, labels), *shape, full_url)
