"""Content-Encoding decoding within a size cap (gzip, deflate, brotli), for ``scraper.fetch``.

A decompression bomb must be stopped while it inflates, not after: each call is given only the room
left under the cap, and the decoded bytes are counted as they come.
"""

from __future__ import annotations

import zlib
from typing import Any

import brotli

_GZIP_MAGIC = b"\x1f\x8b"


class TooLarge(Exception):
    """The decoded body passed the size cap."""


class Inflater:
    """Content-Encoding decoding that never produces more than the cap, however small the input.

    httpx's own decoders inflate each 64 KB network read in one call: a gzip bomb turns that into ~64 MB
    before anyone can count it (measured: 150 MB traced peak for one response). Here every call is given
    the room left (zlib ``max_length``, brotli ``output_buffer_limit``).
    """

    def __init__(self, encoding: str, limit: int, *, cut: bool = False) -> None:
        self.encoding = encoding.strip().lower()
        self.limit = limit
        self.cut = cut  # keep the first `limit` bytes and stop (robots.txt), instead of TooLarge
        self.full = False  # set once a cut body has reached the limit: feed no more
        self.size = 0
        self._zlib: Any = None
        self._brotli: Any = None
        self._raw_deflate_tried = False
        self._gzip = self.encoding in ("gzip", "x-gzip")
        self._between_members = b""  # the start of what follows a gzip member, too short to judge yet
        self._trailer = False  # what follows the last gzip member is not one: ignored
        if self._gzip:
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif self.encoding == "deflate":
            self._zlib = zlib.decompressobj()
        elif self.encoding == "br":
            self._brotli = brotli.Decompressor()
        elif self.encoding not in ("", "identity"):
            raise ValueError(f"unsupported Content-Encoding {self.encoding!r}")

    def _count(self, piece: bytes) -> bytes:
        room = self.limit - self.size
        if len(piece) > room:
            if not self.cut:
                raise TooLarge
            piece = piece[:room]
            self.full = True
        self.size += len(piece)
        return piece

    def feed(self, data: bytes) -> list[bytes]:
        """Decoded bytes for the next raw chunk; past the cap, raises TooLarge or (``cut``) sets ``full``."""
        if self.full:
            return []
        if self._zlib is not None:
            return self._feed_zlib(data)
        if self._brotli is not None:
            out = [self._count(self._brotli.process(data, output_buffer_limit=self.limit - self.size + 1))]
            while not self.full and not self._brotli.is_finished():
                piece = self._brotli.process(b"", output_buffer_limit=self.limit - self.size + 1)
                out.append(self._count(piece))
                if not piece and self._brotli.can_accept_more_data():
                    break
            return out
        return [self._count(data)]

    def _feed_zlib(self, data: bytes) -> list[bytes]:
        out: list[bytes] = []
        while data and not self.full and not self._trailer:
            if self._zlib.eof:
                if not self._gzip:
                    break  # one deflate stream per body: anything after it is ignored
                # RFC 1952 2.2: a gzip file is a series of members, each decoded in turn (and counted)
                data = self._between_members + data
                if len(data) < len(_GZIP_MAGIC):
                    self._between_members = data
                    break
                self._between_members = b""
                if not data.startswith(_GZIP_MAGIC):
                    self._trailer = True  # zero padding or junk after the last member, as gzip(1) ignores
                    break
                self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
            try:
                piece = self._zlib.decompress(data, self.limit - self.size + 1)
            except zlib.error:
                if self.encoding != "deflate" or self._raw_deflate_tried or self.size:
                    raise
                # "deflate" is sent both with and without the zlib header (RFC 9110 8.4.1.2 notes it)
                self._raw_deflate_tried = True
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            out.append(self._count(piece))
            data = self._zlib.unused_data if self._zlib.eof else self._zlib.unconsumed_tail
        return out
