"""Story identity: canonical URLs, independent-source keys, text fingerprints and clusters.

One event is often republished by many outlets with its own URL and a lightly edited text.
``cluster_stories`` groups such copies (same canonical URL, same GUID or near-duplicate text)
so that the alert path sends one alert per event and counts its independent sources (``site_of``).
Everything here is pure: strings and fingerprints in, values out.
"""

from __future__ import annotations

import bisect
import functools
import re
import struct
import unicodedata
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, overload
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from scraper.model import Story

# --- canonical URLs ---------------------------------------------------------------------------

# Query parameters that only say how a reader arrived, never which page they get.
_TRACKING_PARAMS = frozenset(
    """fbclid gclid dclid gbraid wbraid msclkid yclid twclid ttclid li_fat_id mc_cid mc_eid igshid
    igsh ref ref_src ref_url referrer cmpid cmp icid intcmp ncid ocid sr_share smid smtyp soc_src
    soc_trk sc_cid s_cid xtor at_medium at_campaign at_custom1 at_custom2 taid ito guccounter
    guce_referrer guce_referrer_sig mkt_tok _hsenc _hsmi hsctatracking vero_id oly_enc_id
    oly_anon_id rb_clickid s_kwcid trk trkcampaign spm _ga _gl __twitter_impression ns_source
    ns_mchannel ns_campaign ns_linkname ns_fee wt.mc_id wt_mc_id cid_source outputtype amp amp_js_v
    usqp __amp_source_origin share feedtype rss""".split()  # noqa: SIM905 (a word list reads best as words)
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_", "ga_")
_HOST_PREFIXES = ("www.", "amp.", "m.", "mobile.")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = re.compile(r"%([0-9A-Fa-f]{2})")
_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def _normalise_escapes(part: str, safe: str) -> str:
    """Decode escapes of unreserved characters, upper-case the rest, escape what must be (RFC 3986 6.2.2)."""

    def _fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char.isascii() and (char.isalnum() or char in "-._~") else "%" + match.group(1).upper()

    return quote(_UNRESERVED.sub(_fix, _BARE_PERCENT.sub("%25", part)), safe=safe)


def _without_host_prefix(host: str) -> str:
    """ "www.example.com" -> "example.com" (also amp., m., mobile.); "www.com" stays."""
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix) :]
    return host


def _strip_amp_path(path: str) -> str:
    segments = path.split("/")
    if len(segments) > 2 and segments[1] == "amp":  # /amp/news/story
        del segments[1]
    while segments and segments[-1] in ("amp", "amp.html", ""):
        if segments[-1] == "amp.html":
            segments[-1] = ""
        segments.pop()
    path = "/".join(segments)
    return re.sub(r"\.amp(?=\.html?$|$)", "", path)  # story.amp.html, story.amp


_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)  # mailto:, tel:; not host:port


def _with_scheme(url: str) -> str:
    """The URL with a scheme: "www.x.com/a" and "//x.com/a" are read as https."""
    if "://" in url or _OTHER_SCHEME.match(url):
        return url
    return "https://" + url.removeprefix("//")


@functools.lru_cache(maxsize=8192)  # a run asks twice per new story: to cluster it and to store it
def canonical_url(url: str) -> str:
    """The one spelling of a story's address, so that copies of one link compare equal.

    Folds http/https, ``www.``/``amp.``/``m.`` hosts, default ports, AMP paths and
    Google's AMP cache, drops tracking parameters and fragments (but a route: ``page_fragment``), sorts the query and
    normalises percent-escapes. Anything that is not an http(s) URL comes back stripped.
    """
    url = (url or "").strip()
    plain = _PLAIN_URL.fullmatch(url)
    host = plain[1].rstrip(".") if plain is not None else ""
    if plain is not None and host and not host.endswith(".cdn.ampproject.org"):
        return "https://" + _without_host_prefix(host) + _strip_amp_path(plain[2] or "").rstrip("/")
    return _canonical_parsed(url)


# The common story link: "http(s)://", a lower-case host and a path of unreserved characters, nothing
# else. Parsed by hand: no escapes to normalise, no port, no query, no fragment.
_PLAIN_URL = re.compile(r"https?://([a-z0-9.\-]+)(/[A-Za-z0-9/._~\-]*)?")


def _canonical_parsed(url: str) -> str:
    """``canonical_url`` of any URL, through urlsplit."""
    try:
        parts = urlsplit(_with_scheme(url))
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return url
    if scheme not in _DEFAULT_PORTS or not host or " " in host or ("://" not in url and "." not in host):
        # not http(s), or a bare word that only looked like a host
        return url
    path = parts.path
    if host.endswith(".cdn.ampproject.org"):  # /c/s/www.example.com/path: the page it caches
        cached = re.match(r"/[a-z]/(s/)?(.+)", path)
        if cached:
            return canonical_url("https://" + cached.group(2) + ("?" + parts.query if parts.query else ""))
    host = _without_host_prefix(host)
    if port is not None and port not in _DEFAULT_PORTS.values():
        host = f"{host}:{port}"
    path = _strip_amp_path(_normalise_escapes(path, _PATH_SAFE)).rstrip("/")
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _TRACKING_PARAMS and not key.lower().startswith(_TRACKING_PREFIXES)
    ]
    return urlunsplit(
        ("https", host, path, urlencode(sorted(query), quote_via=quote), page_fragment(parts.fragment))
    )


def page_fragment(fragment: str) -> str:
    """The part of a URL's fragment that names a page: a single-page site's route ("#!/news/101", "#/news/101")
    is a story of its own; an anchor ("#comments", "#top") is a place on one page, and is dropped."""
    return fragment if fragment.startswith(("!/", "/")) and len(fragment) > 2 else ""


# Second-level labels under which registrants get their own name (a small Public Suffix List).
_TWO_LEVEL_SUFFIXES = frozenset(
    """co.uk org.uk gov.uk ac.uk ltd.uk plc.uk me.uk net.uk mod.uk police.uk nhs.uk com.au net.au
    org.au gov.au edu.au asn.au id.au co.nz org.nz govt.nz net.nz ac.nz co.kr or.kr go.kr ne.kr
    re.kr mil.kr com.tr gov.tr org.tr net.tr edu.tr gen.tr bel.tr tsk.tr msb.tr co.jp ne.jp or.jp
    go.jp ac.jp co.in gov.in net.in org.in nic.in ac.in co.za gov.za org.za com.br gov.br org.br
    com.cn gov.cn org.cn net.cn com.hk gov.hk com.tw gov.tw org.tw com.sg gov.sg edu.sg com.my
    gov.my com.pk gov.pk org.pk com.ua gov.ua org.ua in.ua co.il gov.il org.il idf.il ac.il com.sa
    gov.sa com.eg gov.eg com.mx gob.mx com.ar gob.ar co.id go.id mil.id or.id com.ph gov.ph com.vn
    gov.vn gov.pl com.pl co.th go.th ac.th mi.th com.qa gov.qa com.kw gov.kw co.ae gov.ae com.ng
    gov.ng com.bd gov.bd com.np com.lk gov.lk gc.ca gov.ru com.ru mil.ru gov.ir co.ir ac.ir com.gr
    gov.gr com.cy gov.cy com.ro gov.ro com.co gov.co com.pe gob.pe com.ve gob.ve com.sy gov.sy
    com.az gov.az com.ge gov.ge com.kz gov.kz com.uz com.af gov.af com.iq gov.iq com.jo gov.jo
    com.lb gov.lb com.om gov.om com.bh gov.bh co.ke go.ke com.et gov.et blogspot.com substack.com
    wordpress.com medium.com github.io tumblr.com""".split()  # noqa: SIM905 (a word list reads best as words)
)


def site_of(url: str) -> str:
    """The independent-source key of a URL: its registrable domain, without ``www.``.

    ``https://edition.cnn.com/x`` and ``cnn.com`` are one site; ``bbc.co.uk`` keeps three
    labels because ``co.uk`` is a public suffix. An IP address or a one-label host is its
    own site; a string without a host gives "".
    """
    text = (url or "").strip()
    plain = _PLAIN_HOST.match(text)
    if plain is not None:
        return _site_of_host(plain[1])
    try:
        host = urlsplit(_with_scheme(text)).hostname or ""
    except ValueError:
        return ""
    return _site_of_host(host)


# "http(s)://" and a host of lower-case letters, digits, dots and hyphens up to the path: the host
# urlsplit would find, without parsing the rest.
_PLAIN_HOST = re.compile(r"https?://([a-z0-9.\-]+)(?:[/?#]|$)")


@functools.lru_cache(maxsize=4096)  # a run's stories come from a few hundred hosts
def _site_of_host(host: str) -> str:
    labels = [label for label in host.rstrip(".").split(".") if label]
    if len(labels) > 2 and labels[0] in ("www", "amp", "m", "mobile"):
        labels = labels[1:]
    if not labels or " " in host:
        return ""
    if all(label.isdigit() for label in labels) or ":" in host:  # IPv4 or IPv6
        return host
    keep = 3 if ".".join(labels[-2:]) in _TWO_LEVEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


# --- GUIDs ------------------------------------------------------------------------------------

# A URL with a host, a tag: URI (RFC 4151), a URN (urn:uuid:...) or a bare UUID: unique by its form.
_GLOBAL_GUID = re.compile(
    r"(?:[a-z][a-z0-9+.\-]*://[^/?#\s]+|tag:|urn:)|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\Z",
    re.IGNORECASE,
)


def is_global_guid(guid: str) -> bool:
    """Whether a GUID names one item everywhere by its form (a URL, ``tag:``, ``urn:``, a UUID).

    Two feeds carrying such a GUID carry one story. Any other GUID ("1001", "news") is only
    unique within its publisher: two sites numbering their items alike are not one event."""
    return _GLOBAL_GUID.match(guid.strip()) is not None


# --- text fingerprints ------------------------------------------------------------------------

# Chosen with scripts/eval_dedupe.py on tests/data/dedupe (290 stories, 66 events, 30 topics;
# table in the README). Plain Jaccard, plain containment and 64-bit SimHash never reached
# F1 0.95 without merging same-topic stories (best: 0.92 with 40 wrong pairs). Containment
# gated by the lead did: with k=3, LEAD_MATCH 0.4 and BODY_MATCH 0.7, every containment
# threshold from 0.10 to 0.60 gives zero merges, and 0.10-0.45 give F1 0.982 (P 1.0, R 0.964);
# 0.3 sits mid-window. k=3 rather than k=2 for margin: different stories' leads reach 0.38 at
# k=3 (0.47 at k=2), copies' leads are >= 0.75.
SHINGLE_SIZE = 3  # words per shingle (2 merged more, 4-5 missed more rewordings)
SAMPLE_RATE = 4  # a long text keeps every shingle whose hash falls in the lowest 1/SAMPLE_RATE
MIN_SAMPLE = 64  # ...and never fewer than its MIN_SAMPLE lowest, so short texts keep all
NEAR_DUPLICATE = 0.3  # containment at or above this (with matching leads) means "the same story"
LEAD_WORDS = 40  # the lead: the first sentence (at most this many words), where copies agree most
LEAD_MATCH = 0.4  # lead containment at or above this: the same lead, not a quote of it
LONG_TEXT = 80  # shingles: from here on a text is an article, not a feed summary
BODY_MATCH = 0.7  # two articles sharing this much are copies even when their leads differ
MIN_SHARED = 3  # sampled shingles two texts must share before containment counts
_HASH_SPACE = 1 << 32
_POSTINGS_CAP = 200  # a shingle shared by more stories than this is boilerplate, not identity

# British -> American spellings, so that a re-spelt copy keeps its shingles.
_SPELLING = {
    "defence": "defense",
    "defences": "defenses",
    "programme": "program",
    "programmes": "programs",
    "armour": "armor",
    "armoured": "armored",
    "centre": "center",
    "centres": "centers",
    "metres": "meters",
    "kilometres": "kilometers",
    "favour": "favor",
    "labour": "labor",
    "harbour": "harbor",
    "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers",
    "licence": "license",
    "offence": "offense",
    "travelled": "traveled",
    "cancelled": "canceled",
    "cancelling": "canceling",
    "modelling": "modeling",
    "fuelled": "fueled",
    "jewellery": "jewelry",
    "grey": "gray",
    "tonnes": "tons",
}
_ISE = re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations)$")
# Quotes split a word ("turkey's" -> "turkey s": elsewhere they separate words anyway), dashes are
# hyphens, and a hyphen, comma or full stop inside a word joins it ("s-400" -> "s400", "1,000" -> "1000").
_SEPARATORS = str.maketrans(
    {
        "'": " ",
        "\u2019": " ",
        **{chr(c): "-" for c in (*range(0x2010, 0x2016), 0x2212, 0xFE58, 0xFE63, 0xFF0D)},
    }
)
# A hyphen, comma or full stop between two letters or digits joins them ("s-400" -> "s400"); every
# other character that is not an ASCII letter or digit separates words. (Written as a search for the
# joiner first, so the engine skips to joiners instead of trying every position.)
_GLUE = re.compile(r"[\-.,](?<=[a-z0-9][\-.,])(?=[a-z0-9])")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_SPACES = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isdigit() or "a" <= c <= "z")})


def words_of(text: str) -> list[str]:
    """Normalised words: NFKC, lower case, punctuation gone, one spelling per word.

    "Turkey's", "turkey s" and "Turkey ' s" give the same words ("s" and other one-letter
    leftovers of tokenised text are dropped); "S-400" and "S400" give "s400"; "1,000" gives
    "1000"; British spellings become American.
    """
    text = _GLUE.sub("", unicodedata.normalize("NFKC", text).lower().translate(_SEPARATORS))
    if not text.isascii():
        text = _NON_ASCII.sub(" ", text)
    return list(filter(None, map(_FOLDS.__getitem__, text.translate(_ASCII_SPACES).split())))


class _Folds(dict[str, str]):
    """word -> its one spelling (British -> American), or "" for a lone letter (dropped), computed on
    first sight and remembered: news reuses a small vocabulary, so nearly every word is a dictionary
    hit (bounded)."""

    def __missing__(self, word: str) -> str:
        if len(self) >= 1 << 16:
            self.clear()
        if len(word) == 1 and not word.isdigit():
            spelt = self[word] = ""
        else:
            spelt = self[word] = _ISE.sub(r"iz\1", _SPELLING.get(word, word))
        return spelt


_FOLDS = _Folds()


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")


def _split_lazily(text: str) -> Iterator[str]:
    """``_SENTENCE_END.split(text)``, one piece at a time (the lead is usually the first)."""
    start = 0
    for end in _SENTENCE_END.finditer(text):
        yield text[start : end.start()]
        start = end.end()
    yield text[start:]


def _lead_words(text: str, words: list[str] | None = None) -> list[str]:
    """The words of the first real sentence, capped at LEAD_WORDS: a dateline, a kicker or a
    byline ("By Jane Doe, The Daily Sentinel") before it is not the lead. ``words`` are the
    text's words when the caller has them already."""
    for sentence in _split_lazily(text):
        lead = words_of(sentence)
        if _is_lead(lead):
            return lead[:LEAD_WORDS]
    return (words_of(text) if words is None else words)[:LEAD_WORDS]


def _is_lead(words: Sequence[str]) -> bool:
    return len(words) >= 8 and not (words[0] == "by" and len(words) <= 12)


def lead_sentence(text: str) -> str:
    """The first real sentence of ``text`` (the one ``fingerprint`` takes as the lead), as written."""
    for sentence in _split_lazily(text):
        if _is_lead(words_of(sentence)):
            return sentence
    return " ".join(text.split()[:LEAD_WORDS])


def different_subjects(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two stories' subjects (the watched names in each headline and lead) differ both ways: each
    names one the other does not. Templated releases ("... approved a possible sale to the
    Government of Poland of ...", the same for Greece) share nearly all their text and are still
    different events; a copy that adds a name to a lead, or drops one, is still the same story."""
    return bool(a - b) and bool(b - a)


def _shingle_crcs(words: Sequence[str], size: int) -> Iterable[int]:
    """CRC-32 of each shingle: ``size`` consecutive words joined by a space."""
    if len(words) < size:
        return [zlib.crc32(" ".join(words).encode())] if words else []
    shingles = map(" ".join, zip(*(words[i:] for i in range(size)), strict=False))
    return map(zlib.crc32, map(str.encode, shingles))


def _hashes(crcs: Iterable[int]) -> array[int]:
    """Each shingle's stable 32-bit hash from its CRC-32 (fast, in C), through MurmurHash3's fmix32
    finaliser, whose avalanche makes "hash below a threshold" a fair sample (CRC alone is linear).
    All at once: fmix32 runs on one big integer whose 64-bit lanes each hold one hash (a 32-bit value
    times a 32-bit constant never carries into the next lane), instead of eight Python operations per
    shingle. A fingerprint hashes a few hundred."""
    crcs = array("Q", crcs)
    if not crcs:
        return crcs
    mask = int.from_bytes(_LANE * len(crcs), "little")
    x = int.from_bytes(crcs.tobytes(), "little")
    x = (((x ^ (x >> 16)) & mask) * 0x85EBCA6B) & mask
    x = (((x ^ (x >> 13)) & mask) * 0xC2B2AE35) & mask
    x = (x ^ (x >> 16)) & mask
    out = array("Q")
    out.frombytes(x.to_bytes(8 * len(crcs), "little"))
    return out


_LANE = b"\xff\xff\xff\xff\x00\x00\x00\x00"  # the low 32 bits of one little-endian 64-bit lane


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A sample of a text's shingle hashes: every hash up to ``limit``, sorted.

    Because both texts are sampled by the same hash threshold, comparing them up to the
    lower of their two limits is an unbiased sample of the shingles they share, for a
    summary against a full text as well as for two full texts.
    """

    hashes: tuple[int, ...]
    size: int  # distinct shingles in the text
    limit: int  # every shingle hash <= limit is in `hashes`
    lead: tuple[int, ...] = ()  # every shingle hash of the lead (first sentence) of the text


def fingerprint(
    title: str,
    text: str,
    *,
    shingle_size: int = SHINGLE_SIZE,
    sample_rate: int = SAMPLE_RATE,
    min_sample: int = MIN_SAMPLE,
) -> Fingerprint:
    """The fingerprint of a story: title and text shingled separately, then sampled.

    The keyword arguments exist for scripts/eval_dedupe.py; stored fingerprints must all use
    the defaults, or they stop being comparable.
    """
    title_words, text_words = words_of(title), words_of(text)
    crcs = (*_shingle_crcs(title_words, shingle_size), *_shingle_crcs(text_words, shingle_size))
    hashes = sorted(set(_hashes(crcs)))
    lead_words = _lead_words(text, text_words) or title_words[:LEAD_WORDS]
    lead = tuple(sorted(set(_hashes(_shingle_crcs(lead_words, shingle_size)))))
    limit = _HASH_SPACE // sample_rate - 1
    if len(hashes) <= min_sample:
        limit = _HASH_SPACE - 1
    elif hashes[min_sample - 1] > limit:
        limit = hashes[min_sample - 1]
    return Fingerprint(tuple(hashes[: bisect.bisect_right(hashes, limit)]), len(hashes), limit, lead)


def _hex_hashes(hashes: Sequence[int]) -> str:
    return struct.pack(f">{len(hashes)}I", *hashes).hex()  # 8 hex digits per hash, big-endian


def _hashes_from_hex(body: str) -> tuple[int, ...]:
    raw = bytes.fromhex(body)  # ValueError on a non-hex digit
    if len(body) % 8 or len(raw) * 2 != len(body):  # fromhex skips spaces: refuse them here
        raise ValueError(f"fingerprint part {body[:40]!r} is not 8 hex digits per hash")
    return struct.unpack(f">{len(raw) // 4}I", raw)


def fingerprint_hex(fp: Fingerprint) -> str:
    """A compact string form for storage: ``size.limit.sample.lead``, 8 hex digits per hash."""
    return f"{fp.size:x}.{fp.limit:x}.{_hex_hashes(fp.hashes)}.{_hex_hashes(fp.lead)}"


def fingerprint_from_hex(text: str) -> Fingerprint:
    """The fingerprint that ``fingerprint_hex`` wrote; raises ValueError on anything else."""
    size, limit, body, lead = text.split(".")
    return Fingerprint(_hashes_from_hex(body), int(size, 16), int(limit, 16), _hashes_from_hex(lead))


def _overlap(
    a: Fingerprint, b: Fingerprint, set_a: frozenset[int] | None = None, set_b: frozenset[int] | None = None
) -> tuple[int, int, int]:
    """(shared, sampled in a, sampled in b) below the common limit. ``set_a``/``set_b`` are the
    fingerprints' hashes as sets when the caller keeps them (pairing compares one many times)."""
    limit = min(a.limit, b.limit)
    shared = len((set_a or frozenset(a.hashes)) & (set_b or frozenset(b.hashes)))  # all <= both limits
    return shared, bisect.bisect_right(a.hashes, limit), bisect.bisect_right(b.hashes, limit)


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated containment: the share of the shorter text's shingles found in the other.

    Containment rather than Jaccard, so that a feed's one-paragraph summary matches the
    full article it summarises, and a trimmed or extended copy matches its original.
    """
    shared, in_a, in_b = _overlap(a, b)
    smaller = min(in_a, in_b)
    return shared / smaller if smaller else 0.0


def lead_similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Share of the shorter lead's shingles found in the other lead (the first sentence).

    Copies keep the wire story's lead; a different story that quotes it (a reaction piece
    repeating "the first parts arrived on Friday" in its second paragraph) does not.
    """
    smaller = min(len(a.lead), len(b.lead))
    return len(set(a.lead) & set(b.lead)) / smaller if smaller else 0.0


def is_near_duplicate(a: Fingerprint, b: Fingerprint) -> bool:
    """True when two fingerprints are copies of one story (thresholds: module constants)."""
    return _near(a, b, *_overlap(a, b))


def _near(a: Fingerprint, b: Fingerprint, shared: int, in_a: int, in_b: int) -> bool:
    smaller = min(in_a, in_b)
    if not shared >= min(MIN_SHARED, smaller) > 0:
        return False
    containment = shared / smaller
    if min(a.size, b.size) >= LONG_TEXT and containment >= BODY_MATCH:
        return True  # two full articles, nearly all shared: a copy whose outlet rewrote the lead
    return containment >= NEAR_DUPLICATE and lead_similarity(a, b) >= LEAD_MATCH


# --- clusters ---------------------------------------------------------------------------------


class _Finds(Protocol):
    def find(self, text: str) -> Sequence[Any]: ...


class StorySubjects(Sequence[frozenset[str]]):
    """For ``cluster_stories``: the watched names (``index``, an alias index) in each story's headline and
    lead, from its (title, text); a stored story gives its headline only. Found only for the members of
    clusters that a near-duplicate pair would join: a run compares few of the thousands it keeps."""

    def __init__(self, index: _Finds, texts: Sequence[tuple[str, str]]) -> None:
        self._index, self._texts = index, texts
        self._found: dict[int, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, node: int) -> frozenset[str]: ...
    @overload
    def __getitem__(self, node: slice) -> Sequence[frozenset[str]]: ...
    def __getitem__(self, node: int | slice) -> frozenset[str] | Sequence[frozenset[str]]:
        if isinstance(node, slice):
            return [self[n] for n in range(len(self))[node]]
        if node not in self._found:
            from scraper.aliases import normalize

            title, text = self._texts[node]
            head = normalize(f"{title}\n{lead_sentence(text) if text else ''}")
            self._found[node] = frozenset(f"{m.kind}:{m.name}" for m in self._index.find(head))
        return self._found[node]


class _Forest:
    """Union-find whose root is always the earliest member, so cluster ids are deterministic."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, node: int) -> int:
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _as_fingerprint(value: object) -> Fingerprint | None:
    if isinstance(value, Fingerprint):
        return value
    if isinstance(value, str) and value:
        try:
            return fingerprint_from_hex(value)
        except ValueError:
            return None
    return None


def _url_key(url: str) -> str:
    """A canonical URL that names one page, or "" for a bare home page that names nothing."""
    canonical = canonical_url(url)
    path = canonical.split("://", 1)[-1].partition("/")[2]
    return canonical if "://" in canonical and path else ""


def _text_pairs(
    fingerprints: Sequence[Fingerprint | None], first_new: int = 0, new_with_new: bool = True
) -> Iterable[tuple[int, int]]:
    """Pairs of near-duplicate fingerprints, found through shared sampled shingles (an inverted
    index, the exact form of LSH banding for sampled sketches) rather than all pairs.

    Only pairs with at least one node at or after ``first_new`` are looked for: stored stories
    already carry their cluster ids, so pairing them with each other again is wasted work
    (it dominated a run's CPU and memory against a few thousand stored stories). Without
    ``new_with_new`` new nodes are paired with stored ones only."""
    postings: dict[int, list[int]] = defaultdict(list)
    indexed, least = fingerprints, 2  # least: stories in a posting, this one included, to pair
    if not new_with_new:  # postings of stored nodes only, where this one is never listed
        indexed, least = fingerprints[:first_new], 1
    for node, fp in enumerate(indexed):
        for h in fp.hashes if fp else ():
            postings[h].append(node)  # ascending node numbers
    if not postings and not new_with_new:
        return  # no stored story to pair with (a first run): nothing can share a shingle
    sets: dict[int, frozenset[int]] = {}  # a fingerprint's hashes as a set, made when first compared

    def set_of(node: int, fp: Fingerprint) -> frozenset[int]:
        found = sets.get(node)
        if found is None:
            found = sets[node] = frozenset(fp.hashes)
        return found

    tiny = {node for node, fp in enumerate(fingerprints) if fp and len(fp.hashes) < MIN_SHARED}
    for node in range(first_new, len(fingerprints)):
        fp = fingerprints[node]
        if fp is None:
            continue
        earlier: list[int] = []
        for h in fp.hashes:
            nodes = postings.get(h, ())
            if least <= len(nodes) <= _POSTINGS_CAP:  # a shingle in more stories is boilerplate
                earlier.extend(nodes[: bisect.bisect_left(nodes, node if new_with_new else first_new)])
        if node in tiny:
            candidates = set(earlier)
        else:  # nodes sharing at least MIN_SHARED sampled shingles: runs in the sorted list
            earlier.sort()
            step = MIN_SHARED - 1
            candidates = {a for a, b in zip(earlier, earlier[step:], strict=False) if a == b}
            if tiny:
                candidates.update(tiny.intersection(earlier))
        for other in sorted(candidates):
            fp_other = fingerprints[other]
            assert fp_other is not None
            overlap = _overlap(fp_other, fp, set_of(other, fp_other), set_of(node, fp))
            if _near(fp_other, fp, *overlap):
                yield other, node


def _join_by_subject(
    forest: _Forest, pairs: Iterable[tuple[int, int]], subjects: Sequence[frozenset[str]]
) -> None:
    """Join near-duplicate pairs unless their events' subjects differ: judged on whole clusters (the union of
    their members' subjects), so that a notice naming no watched buyer cannot bridge Poland's and Greece's."""
    members: dict[int, list[int]] = {}  # every member (a stored cluster's, a shared link's), when first asked
    of_root: dict[int, frozenset[str]] = {}

    def subjects_of(root: int) -> frozenset[str]:
        if root not in of_root:
            if (
                not members
            ):  # roots joined since are in of_root already: the grouping stays right for the rest
                for node in range(len(forest.parent)):
                    members.setdefault(forest.find(node), []).append(node)
            of_root[root] = frozenset().union(*(subjects[n] for n in members[root]))
        return of_root[root]

    for a, b in pairs:
        root_a, root_b = forest.find(a), forest.find(b)
        if root_a == root_b or different_subjects(subjects_of(root_a), subjects_of(root_b)):
            continue
        joined = subjects_of(root_a) | subjects_of(root_b)
        forest.union(root_a, root_b)
        of_root[forest.find(root_a)] = joined


def cluster_stories(
    stories: Sequence[Story],
    known: Sequence[tuple[str, str, object]] = (),
    fingerprints: Sequence[Fingerprint] | None = None,
    *,
    pair_texts: bool = True,
    subjects: Sequence[frozenset[str]] | None = None,
) -> dict[str, str]:
    """Map each story id to the id of the event it reports.

    Stories join one cluster when they share a canonical URL, a GUID unique by its form
    (``is_global_guid``) or near-duplicate text. ``known`` holds (story_id, cluster_id,
    fingerprint or its hex) of stories stored by earlier runs, so that a new copy joins the
    stored event's cluster. A new cluster's
    id is its earliest member's id (input order); a stored cluster keeps its id. ``fingerprints``
    are the stories' own, when the caller has made them already (to store them). With
    ``pair_texts=False`` new stories join each other by URL and GUID only, stored ones by text too.
    ``subjects``: each story's watched names (``known`` first, then ``stories``); two near-duplicate
    texts with ``different_subjects`` are not joined by their text.
    """
    if subjects is not None and len(subjects) != len(known) + len(stories):
        raise ValueError(f"{len(subjects)} subjects for {len(known) + len(stories)} stories")
    if fingerprints is not None and len(fingerprints) != len(stories):
        raise ValueError(f"{len(fingerprints)} fingerprints for {len(stories)} stories")
    nodes = len(known) + len(stories)
    forest = _Forest(nodes)
    first_of: dict[tuple[str, str], int] = {}

    def link(kind: str, key: str, node: int) -> None:
        if key:
            forest.union(first_of.setdefault((kind, key), node), node)

    nodes_fp: list[Fingerprint | None] = []
    for node, (story_id, cluster_id, fp) in enumerate(known):
        link("cluster", cluster_id, node)
        link("id", story_id, node)
        nodes_fp.append(_as_fingerprint(fp))
    for node, story in enumerate(stories, start=len(known)):
        link("id", story.id, node)
        link("url", _url_key(story.url), node)
        # A plain GUID ("1001") joins nothing here: parse scopes it into the story's id, per site.
        link("guid", story.guid.strip() if is_global_guid(story.guid) else "", node)
        own = (
            fingerprints[node - len(known)]
            if fingerprints is not None
            else fingerprint(story.title, story.text)
        )
        nodes_fp.append(own if own.size else None)
    pairs = _text_pairs(nodes_fp, first_new=len(known), new_with_new=pair_texts)
    if subjects is None:
        for a, b in pairs:
            forest.union(a, b)
    else:
        _join_by_subject(forest, pairs, subjects)

    result: dict[str, str] = {}
    for node, story in enumerate(stories, start=len(known)):
        root = forest.find(node)
        result.setdefault(story.id, known[root][1] if root < len(known) else stories[root - len(known)].id)
    return result
