"""Character encodings of CSV exports.

Japanese SFA tools and Excel write CP932 (Shift_JIS); others write UTF-8, often with
a BOM. DuckDB's CSV reader wants UTF-8, so anything else is transcoded to a
temporary UTF-8 file first. Detection is strict: a file that is neither valid UTF-8
nor valid CP932 is rejected whole rather than loaded garbled.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
SUPPORTED = ("utf-8", "utf-8-sig", "cp932")


class UnreadableFile(Exception):
    """The file cannot be read at all; it is quarantined whole with this reason."""


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _open(path: Path) -> BinaryIO:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with _open(path) as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except (OSError, EOFError) as exc:  # a broken gzip stream, for one
        raise UnreadableFile(f"cannot read file: {exc}") from exc
    return True


def detect_encoding(path: Path, declared: str | None = None) -> str:
    """Return ``utf-8``, ``utf-8-sig`` or ``cp932``; raise UnreadableFile otherwise."""
    if declared:
        if not _decodes(path, declared):
            raise UnreadableFile(f"file is not valid {declared} (declared encoding)")
        return declared
    with _open(path) as handle:
        try:
            head = handle.read(3)
        except (OSError, EOFError) as exc:
            raise UnreadableFile(f"cannot read file: {exc}") from exc
    if head == codecs.BOM_UTF8:
        if _decodes(path, "utf-8-sig"):
            return "utf-8-sig"
        raise UnreadableFile("file starts with a UTF-8 BOM but is not valid UTF-8")
    if _decodes(path, "utf-8"):
        return "utf-8"
    if _decodes(path, "cp932"):
        return "cp932"
    raise UnreadableFile("unknown encoding: the file is neither UTF-8 nor CP932 (Shift_JIS)")


def utf8_copy(path: Path, encoding: str, target: Path) -> Path:
    """Write ``path`` re-encoded as plain UTF-8 (no BOM) to ``target``."""
    with _open(path) as raw, target.open("w", encoding="utf-8", newline="") as out:
        reader = codecs.getreader(encoding)(raw)
        for chunk in iter(lambda: reader.read(CHUNK), ""):
            out.write(chunk)
    return target
