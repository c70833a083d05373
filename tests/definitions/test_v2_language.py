"""Questionnaire v2 reads in one register with consistent typography (issue 12 item 10):
企业 throughout, never 你/你们/您; no space between Chinese and Latin letters or digits (a
level's "D3 " code prefix excepted); full-width punctuation next to Chinese; every Chinese
text with its English counterpart."""

import re

import pytest

from diagnosis.definitions.loader import BUNDLED_DIR
from diagnosis.definitions.yaml_source import read_definition_data

CJK = r"[\u4e00-\u9fff]"
LEVEL_CODE = re.compile(r"^D\d ")


def texts(node, path=""):
    """Every (path, zh-hans, en) of the file, wherever a bilingual text sits."""
    if isinstance(node, dict):
        if isinstance(node.get("zh-hans"), str):
            yield path, node["zh-hans"], node.get("en")
        for key, value in node.items():
            yield from texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from texts(value, f"{path}[{index}]")


# Read as the loader reads it (libyaml): the pure-Python parser took about a second of every
# test process's start-up.
V2 = list(texts(read_definition_data(BUNDLED_DIR / "smart-manufacturing-v2.yaml")))


def test_it_has_the_texts_it_checks():
    assert len(V2) > 1000


@pytest.mark.parametrize(
    ("rule", "pattern"),
    [
        ("addresses the firm as 你/您", re.compile("你|您")),
        (
            "puts a space between Chinese and Latin",
            re.compile(rf"{CJK} [A-Za-z0-9]|[A-Za-z0-9] {CJK}"),
        ),
        (
            "uses half-width punctuation beside Chinese",
            re.compile(rf"{CJK}[,;:?!()]|[,;:?!(]{CJK}"),
        ),
    ],
)
def test_no_chinese_text(rule, pattern):
    found = [
        (path, zh)
        for path, zh, _en in V2
        if pattern.search(LEVEL_CODE.sub("", zh) if path.startswith(".levels") else zh)
    ]
    assert not found, f"{len(found)} texts {rule}: {found[:5]}"


def test_every_chinese_text_has_its_english():
    assert [path for path, _zh, en in V2 if not (isinstance(en, str) and en.strip())] == []


def test_the_check_finds_what_it_looks_for():
    sample = {"text": {"zh-hans": "你们是否使用 MES系统?", "en": ""}}
    [(_path, zh, en)] = texts(sample)
    assert re.search("你|您", zh) and re.search(rf"{CJK}[,;:?!()]|[,;:?!(]{CJK}", zh)
    assert re.search(rf"{CJK} [A-Za-z0-9]|[A-Za-z0-9] {CJK}", zh) and not en
