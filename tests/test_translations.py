"""Both catalogues ship complete, and the compiled .mo files match the .po sources."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "diagnosis" / "locale"
# The flags line, then any "#|" lines (the previous msgid msgmerge leaves by a fuzzy match).
ENTRY = re.compile(
    r'(#,[^\n]*\n)?(?:#\|[^\n]*\n)*msgid ((?:"[^\n]*"\n)+)msgstr ((?:"[^\n]*"\n)+)', re.MULTILINE
)


def unquote(block: str) -> str:
    """The text of a .po string block: its quoted lines joined, escapes resolved."""
    return "".join(
        line[1:-1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        for line in block.strip().splitlines()
    )


def entries(language: str) -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) of every entry but the header."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [
        (flags, unquote(msgid), unquote(msgstr))
        for flags, msgid, msgstr in ENTRY.findall(text + "\n")
        if unquote(msgid)
    ]


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_it_translates_every_message(language):
    missing = [msgid for flags, msgid, msgstr in entries(language) if not msgstr]
    fuzzy = [msgid for flags, msgid, msgstr in entries(language) if "fuzzy" in flags]
    assert (missing, fuzzy) == ([], [])


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_it_ships_compiled_catalogues_that_match_the_sources(language):
    path = LOCALE / language / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for _f, msgid, msgstr in entries(language) if compiled.gettext(msgid) != msgstr]
    assert stale == []


def test_it_has_chinese_for_the_header_and_home_page():
    translations = {msgid: msgstr for _f, msgid, msgstr in entries("zh_Hans")}
    assert translations["How digital is your factory?"] == "您的工厂数字化到了哪一步？"
    assert translations["Log in"] == "登录"
