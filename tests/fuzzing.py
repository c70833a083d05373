"""Fuzzed form bodies for the POST views: the hypothesis test (tests/test_fuzz_forms.py) and
the HTTP script (tests/perf/fuzz_forms.py) share them.

A body starts from a form's own fields (the permission matrix's data for the URL) and is
broken one way or several: a charset that does not exist or does not match the bytes,
invalid bytes, NUL and control characters, huge or odd values, multipart parts with broken
headers. None of them may answer 5xx.
"""

import random
from urllib.parse import quote_from_bytes

CHARSETS = (
    None,
    "utf-8",
    "bogus",
    "gbk",
    "gb18030",
    "big5",
    "shift_jis",
    "latin-1",
    "utf-16",
    "utf-7",
    "ascii",
    "x-unknown-charset",
    '"',
    "",
    "utf-8; charset=gbk",
)
ODD_VALUES = (
    "",
    " ",
    "-1",
    "0",
    "1e309",
    "NaN",
    "9" * 40,
    "2",
    "on",
    "yes",
    "approve",
    "sign_off",
    "return",
    "confirm",
    "change",
    "<script>x</script>",
    "' OR 1=1 --",
    "王芳 & 'quotes' \"double\"",
    "\u202e\u200b",
    "\ud800",
    "\x01\x1f",
    "a" * 5000,
    "2026-13-45",
    "%",
    "%%ff",
)


def _value_bytes(rng: random.Random, value: str, charset: str) -> bytes:
    choice = rng.random()
    if choice < 0.1:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 12)))
    if choice < 0.5:
        value = rng.choice(ODD_VALUES)
    codec = charset if charset in {"gbk", "big5", "shift_jis", "latin-1", "utf-16"} else "utf-8"
    return value.encode(codec, errors="surrogatepass" if codec == "utf-8" else "replace")


def _content_type(kind: str, charset: str | None, boundary: str = "") -> str:
    base = "application/x-www-form-urlencoded" if kind == "urlencoded" else "multipart/form-data"
    if boundary:
        base += f"; boundary={boundary}"
    return base if charset is None else f"{base}; charset={charset}"


def urlencoded(rng: random.Random, fields: dict[str, str], charset: str | None) -> bytes:
    pairs = []
    names = [*list(fields), "csrfmiddlewaretoken", rng.choice(ODD_VALUES)]
    for name in names:
        if rng.random() < 0.15:
            continue
        value = _value_bytes(rng, str(fields.get(name, "")), charset or "utf-8")
        raw = rng.random() < 0.4  # raw bytes, not percent-encoded
        encoded_value = value if raw else quote_from_bytes(value).encode()
        pairs.append(name.encode("utf-8", "surrogatepass") + b"=" + encoded_value)
    if rng.random() < 0.1:
        pairs.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40))))
    return b"&".join(pairs)


def multipart(rng: random.Random, fields: dict[str, str], charset: str | None) -> bytes:
    lines = []
    boundary = b"fuzzboundary"
    for name, value in [*list(fields.items()), ("extra", "x")]:
        part_charset = rng.choice(CHARSETS)
        lines.append(b"--" + boundary)
        disposition = b'Content-Disposition: form-data; name="' + name.encode() + b'"'
        if rng.random() < 0.3:
            disposition += b'; filename="' + rng.choice(ODD_VALUES).encode("utf-8", "replace")
            disposition += b'"'
        lines.append(disposition)
        if part_charset is not None:
            lines.append(b"Content-Type: text/plain; charset=" + part_charset.encode())
        if rng.random() < 0.1:
            lines.append(b"Content-Transfer-Encoding: base64")
        lines.append(b"")
        lines.append(_value_bytes(rng, value, part_charset or "utf-8"))
    if rng.random() > 0.2:  # sometimes no closing boundary
        lines.append(b"--" + boundary + b"--")
    return b"\r\n".join(lines) + b"\r\n"


def fuzzed_body(rng: random.Random, fields: dict[str, str]) -> tuple[str, bytes]:
    """A (content type, body) pair built from `fields`, broken at random. Half the bodies
    are UTF-8 as browsers send them, so their odd values reach the views."""
    charset = rng.choice(CHARSETS) if rng.random() < 0.5 else rng.choice((None, "UTF-8"))
    if rng.random() < 0.75:
        return _content_type("urlencoded", charset), urlencoded(rng, fields, charset)
    boundary = rng.choice(("fuzzboundary", "fuzzboundary", "", "other", '"'))
    return _content_type("multipart", charset, boundary), multipart(rng, fields, charset)


def form_fields(data: dict) -> dict[str, str]:
    """A matrix row's data as strings (an uploaded file as its name)."""
    return {name: getattr(value, "name", str(value)) for name, value in data.items()}
