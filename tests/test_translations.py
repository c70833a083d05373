"""Both catalogues ship complete (plural forms too); the compiled .mo files match the sources."""

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


# A plural entry: msgid, msgid_plural, then one msgstr[n] per plural form.
PLURAL = re.compile(
    r'(#,[^\n]*\n)?(?:#\|[^\n]*\n)*msgid ((?:"[^\n]*"\n)+)msgid_plural ((?:"[^\n]*"\n)+)'
    r'((?:msgstr\[\d+\] (?:"[^\n]*"\n)+)+)',
    re.MULTILINE,
)
FORMS = {"zh_Hans": 1, "en": 2}


def plural_entries(language: str) -> list[tuple[str, str, str, list[str]]]:
    """(flags, msgid, msgid_plural, [msgstr[0], msgstr[1], …]) of every plural entry."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [
        (flags, unquote(msgid), unquote(plural), [unquote(form) for form in _forms(forms)])
        for flags, msgid, plural, forms in PLURAL.findall(text + "\n")
    ]


def _forms(block: str) -> list[str]:
    return re.split(r"^msgstr\[\d+\] ", block, flags=re.MULTILINE)[1:]


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_it_translates_every_plural_form(language):
    found = plural_entries(language)
    assert found, "no plural entries found: the pattern no longer matches the catalogue"
    incomplete = [
        msgid
        for flags, msgid, _plural, forms in found
        if "fuzzy" in flags or len(forms) != FORMS[language] or not all(forms)
    ]
    assert incomplete == []


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_its_compiled_plurals_match_the_sources(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    counts = {"zh_Hans": [1], "en": [1, 2]}[language]
    stale = [
        msgid
        for _f, msgid, plural, forms in plural_entries(language)
        for form, count in enumerate(counts)
        if compiled.ngettext(msgid, plural, count) != forms[form]
    ]
    assert stale == []


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
