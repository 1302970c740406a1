"""Character encodings of text exports, and opening landing files safely.

DuckDB's readers want UTF-8, so anything else is transcoded to a temporary UTF-8
file first. Detection is strict, over the whole file, and never guesses silently:

1. A UTF-16 byte order mark (``FF FE`` little endian, ``FE FF`` big endian, as Excel's
   "Unicode text" writes it): the file is read as UTF-16 and transcoded.
2. A UTF-8 byte order mark: the rest must be valid UTF-8 (``utf-8-sig``).
3. Valid UTF-8 (plain ASCII included): ``utf-8``.
4. CP932 (Shift_JIS as Windows and Excel write it) only when the decoded text looks
   Japanese: it has at least two Japanese characters in a row (hiragana, katakana or
   kanji) and no character from the user-defined (private use) area. Latin-1 or
   CP1252 text (``café``, ``Müller``, curly quotes) often *decodes* as CP932 too, but
   into isolated kanji or half-width katakana between ASCII letters; that is rejected
   as "unknown encoding ... save as UTF-8" rather than loaded garbled.
5. A source's ``_mapping.yml`` may declare ``encoding:``; then the file must be valid
   in that encoding and no other rule applies.

A NUL byte in a file without a UTF-16 mark (UTF-16 saved without one, or a binary
file) is rejected whole: no CSV or JSON export contains one.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
SUPPORTED = ("utf-8", "utf-8-sig", "utf-16", "cp932")
SAVE_AS_UTF8 = "save it as UTF-8 (CSV UTF-8 in Excel)"

# Two Japanese characters in a row: hiragana, katakana (with ー), kanji, 々.
_JAPANESE_RUN = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\u3005\u4e00-\u9fff]{2}")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


class UnreadableFile(Exception):
    """The file cannot be read at all; it is quarantined whole with this reason."""


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for reading, refusing anything that is not a regular file.

    Opened without blocking and checked on the open descriptor, so a FIFO or a device
    put in place of a file is refused instead of hanging the run.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        raise UnreadableFile("file disappeared before it could be read") from exc
    except IsADirectoryError as exc:
        raise UnreadableFile("is a folder, not a file") from exc
    except OSError as exc:
        raise UnreadableFile(f"cannot open file ({exc.strerror})") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableFile(f"not a regular file ({describe_mode(mode)})")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def describe_mode(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open_regular(path) as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
    except OSError as exc:
        raise UnreadableFile(f"cannot read file ({exc.strerror or exc})") from exc
    return digest.hexdigest()


class _Gunzip(gzip.GzipFile):
    """A gzip stream that closes the file under it."""

    def __init__(self, handle: BinaryIO) -> None:
        super().__init__(fileobj=handle, mode="rb")
        self._handle = handle

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._handle.close()


def open_bytes(path: Path) -> BinaryIO:
    """The file's bytes, decompressed when the name ends in ``.gz``."""
    handle = open_regular(path)
    if path.name.lower().endswith(".gz"):
        return _Gunzip(handle)  # type: ignore[return-value]
    return handle


class _Scan:
    """What one strict decoding pass over the file found."""

    def __init__(self) -> None:
        self.valid = True
        self.nul = False
        self.japanese = False
        self.private_use = False


def _scan(path: Path, encoding: str) -> _Scan:
    result = _Scan()
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    tail = ""
    try:
        with open_bytes(path) as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                if not result.nul and not encoding.startswith("utf-16"):
                    result.nul = b"\x00" in chunk
                text = decoder.decode(chunk)
                if encoding == "cp932":
                    window = tail + text
                    result.japanese = result.japanese or bool(_JAPANESE_RUN.search(window))
                    result.private_use = result.private_use or bool(_PRIVATE_USE.search(text))
                    tail = text[-1:]
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        result.valid = False
    except (OSError, EOFError) as exc:  # a broken gzip stream, for one
        raise UnreadableFile(f"cannot read file ({_os_reason(exc)})") from exc
    return result


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__ if not str(exc) else str(exc).split(":")[0]


def _head(path: Path) -> bytes:
    try:
        with open_bytes(path) as handle:
            return handle.read(4)
    except (OSError, EOFError) as exc:
        raise UnreadableFile(f"cannot read file ({_os_reason(exc)})") from exc


def detect_encoding(path: Path, declared: str | None = None) -> str:
    """Return ``utf-8``, ``utf-8-sig``, ``utf-16`` or ``cp932`` (or the declared
    encoding); raise UnreadableFile otherwise. The rules are in the module docstring."""
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError as exc:
            raise UnreadableFile(f"declared encoding {declared!r} is not known") from exc
        if not _scan(path, declared).valid:
            raise UnreadableFile(f"file is not valid {declared} (declared encoding)")
        return declared
    head = _head(path)
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if _scan(path, "utf-16").valid:
            return "utf-16"
        raise UnreadableFile(
            f"file starts with a UTF-16 mark but is not valid UTF-16: {SAVE_AS_UTF8}"
        )
    if head[:3] == codecs.BOM_UTF8:
        scan = _scan(path, "utf-8-sig")
        if scan.valid and scan.nul:
            raise UnreadableFile(f"file contains NUL bytes: {SAVE_AS_UTF8}")
        if scan.valid:
            return "utf-8-sig"
        raise UnreadableFile(
            f"file starts with a UTF-8 mark but is not valid UTF-8: {SAVE_AS_UTF8}"
        )
    scan = _scan(path, "utf-8")
    if scan.valid and scan.nul:
        raise UnreadableFile(
            f"file contains NUL bytes (UTF-16 without a byte order mark?): {SAVE_AS_UTF8}"
        )
    if scan.valid:
        return "utf-8"
    scan = _scan(path, "cp932")
    if scan.valid and scan.japanese and not scan.private_use and not scan.nul:
        return "cp932"
    raise UnreadableFile(
        "unknown encoding: the file is neither UTF-8 nor Japanese text in CP932 (Shift_JIS); "
        + SAVE_AS_UTF8
    )


def utf8_copy(path: Path, encoding: str, target: Path) -> Path:
    """Write ``path`` re-encoded as plain UTF-8 (no BOM) to ``target``."""
    with open_bytes(path) as raw, target.open("w", encoding="utf-8", newline="") as out:
        reader = codecs.getreader(encoding)(raw)
        for chunk in iter(lambda: reader.read(CHUNK), ""):
            out.write(chunk)
    return target
