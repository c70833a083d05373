"""Plausible population rows for the demo and the benchmarks: seeded, so always the same.

Districts, divisions and sizes are drawn with weights roughly like Shanghai's
manufacturing (many small machinery and electronics firms in the suburban districts).
"""

import random
from collections.abc import Iterator

from diagnosis.firmdata import credit_code_check_character
from diagnosis.population.columns import COLUMNS, district_chinese

DISTRICT_WEIGHTS = {
    "pudong": 18,
    "jiading": 14,
    "songjiang": 13,
    "minhang": 13,
    "qingpu": 8,
    "baoshan": 8,
    "fengxian": 8,
    "jinshan": 6,
    "chongming": 2,
    "putuo": 2,
    "yangpu": 2,
    "xuhui": 1,
    "changning": 1,
    "jingan": 1,
    "hongkou": 1,
    "huangpu": 1,
}
DIVISION_WEIGHTS = {
    34: 14,
    39: 12,
    38: 10,
    35: 10,
    33: 9,
    36: 8,
    26: 7,
    29: 6,
    40: 4,
    27: 4,
    30: 3,
    37: 3,
    17: 2,
    14: 2,
    22: 2,
    23: 1,
    41: 1,
    31: 1,
    32: 1,
    13: 1,
}
_WORDS = ["精密", "智能", "机械", "电子", "科技", "新材料", "汽车零部件", "自动化", "模具", "光电"]
_PLACES = ["上海", "申城", "浦江", "沪西", "沪东", "东海", "松江", "嘉定"]
_SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"
_GIVEN = ["伟", "芳", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "强", "军"]


def credit_code(serial: int) -> str:
    """A well-formed credit code (Shanghai, 310000), unique per serial below 10 million."""
    first17 = f"91310000MA{serial:07d}"
    return first17 + credit_code_check_character(first17)


def population_rows(count: int, *, seed: int = 2026, start: int = 1) -> Iterator[dict[str, str]]:
    """`count` rows keyed by column key, as an administrator's file would hold them."""
    rng = random.Random(seed)
    districts, district_weights = zip(*DISTRICT_WEIGHTS.items(), strict=True)
    divisions, division_weights = zip(*DIVISION_WEIGHTS.items(), strict=True)
    for serial in range(start, start + count):
        employees = int(rng.lognormvariate(4.3, 1.0)) + 5
        revenue = round(employees * rng.uniform(20, 120), 1)
        name = f"{rng.choice(_PLACES)}{rng.choice(_WORDS)}{rng.choice(_WORDS)}有限公司{serial}"
        contact = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
        yield {
            "credit_code": credit_code(serial),
            "name": name,
            "industry": str(rng.choices(divisions, division_weights)[0]),
            "district": district_chinese(rng.choices(districts, district_weights)[0]),
            "employees": str(employees),
            "revenue": str(revenue),
            "size_class": "",
            "contact_name": contact,
            "contact_email": f"contact{serial}@factory.example",
            "contact_phone": f"021-{rng.randrange(10_000_000, 99_999_999)}",
            "above_scale": "是" if revenue >= 2000 else "否",
            "specialised": "是" if rng.random() < 0.08 else "否",
        }


def row_cells(row: dict[str, str]) -> list[str]:
    """A row's cells in the template's column order."""
    return [row[column.key] for column in COLUMNS]
