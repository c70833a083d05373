"""Reference data about firms: credit codes, industry divisions, districts, size classes."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the unified social credit code uses these 31 characters (no I, O, S, V, Z).
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    """Return the check character (18th) for the first 17 characters of a credit code."""
    total = sum(
        CREDIT_CODE_CHARSET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def normalise_credit_code(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_credit_code(value: str) -> None:
    """Raise ValidationError unless value is a well-formed code with a correct check character."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="length",
            params={"count": len(code)},
        )
    bad = sorted({char for char in code if char not in CREDIT_CODE_CHARSET})
    if bad:
        raise ValidationError(
            _("Characters not allowed in a unified social credit code: %(chars)s."),
            code="charset",
            params={"chars": " ".join(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 of the code must be the six-digit administrative division code."),
            code="division",
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character (the last one) does not match: please check the code."),
            code="checksum",
        )


class Industry(models.IntegerChoices):
    """GB/T 4754-2017 manufacturing divisions (section C, 13–43)."""

    FOOD_PROCESSING = 13, _("13 Agricultural and sideline food processing")
    FOOD = 14, _("14 Food manufacturing")
    BEVERAGES = 15, _("15 Liquor, beverages and refined tea")
    TOBACCO = 16, _("16 Tobacco products")
    TEXTILES = 17, _("17 Textiles")
    APPAREL = 18, _("18 Textile garments and apparel")
    LEATHER = 19, _("19 Leather, fur, feathers and footwear")
    WOOD = 20, _("20 Wood, bamboo, rattan, palm and straw products")
    FURNITURE = 21, _("21 Furniture")
    PAPER = 22, _("22 Paper and paper products")
    PRINTING = 23, _("23 Printing and reproduction of recorded media")
    CULTURAL_GOODS = 24, _("24 Cultural, educational, arts, sports and entertainment goods")
    FUEL = 25, _("25 Petroleum, coal and other fuel processing")
    CHEMICALS = 26, _("26 Chemical raw materials and chemical products")
    PHARMA = 27, _("27 Pharmaceuticals")
    FIBRES = 28, _("28 Chemical fibres")
    RUBBER_PLASTICS = 29, _("29 Rubber and plastic products")
    MINERALS = 30, _("30 Non-metallic mineral products")
    FERROUS = 31, _("31 Ferrous metal smelting and rolling")
    NON_FERROUS = 32, _("32 Non-ferrous metal smelting and rolling")
    METAL_PRODUCTS = 33, _("33 Metal products")
    GENERAL_MACHINERY = 34, _("34 General-purpose machinery")
    SPECIAL_MACHINERY = 35, _("35 Special-purpose machinery")
    AUTOMOTIVE = 36, _("36 Automobiles")
    TRANSPORT_EQUIPMENT = 37, _("37 Railway, ship, aerospace and other transport equipment")
    ELECTRICAL = 38, _("38 Electrical machinery and equipment")
    ELECTRONICS = 39, _("39 Computers, communication and other electronic equipment")
    INSTRUMENTS = 40, _("40 Instruments and meters")
    OTHER = 41, _("41 Other manufacturing")
    WASTE_RECYCLING = 42, _("42 Comprehensive use of waste resources")
    REPAIR = 43, _("43 Repair of metal products, machinery and equipment")


class District(models.TextChoices):
    """Shanghai's sixteen districts."""

    HUANGPU = "huangpu", _("Huangpu")
    XUHUI = "xuhui", _("Xuhui")
    CHANGNING = "changning", _("Changning")
    JINGAN = "jingan", _("Jing'an")
    PUTUO = "putuo", _("Putuo")
    HONGKOU = "hongkou", _("Hongkou")
    YANGPU = "yangpu", _("Yangpu")
    MINHANG = "minhang", _("Minhang")
    BAOSHAN = "baoshan", _("Baoshan")
    JIADING = "jiading", _("Jiading")
    PUDONG = "pudong", _("Pudong New Area")
    JINSHAN = "jinshan", _("Jinshan")
    SONGJIANG = "songjiang", _("Songjiang")
    QINGPU = "qingpu", _("Qingpu")
    FENGXIAN = "fengxian", _("Fengxian")
    CHONGMING = "chongming", _("Chongming")


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


def size_class(employees: int, revenue_10k_yuan: Decimal | int | float) -> str:
    """Return the size class of an industrial firm by MIIT's SME classification (2011).

    Revenue is in 10,000 yuan (万元). Large needs both ≥ 1,000 employees and ≥ 40,000;
    medium ≥ 300 and ≥ 2,000; small ≥ 20 and ≥ 300; everything else is micro.
    """
    revenue = Decimal(str(revenue_10k_yuan))
    for size, min_employees, min_revenue in (
        (SizeClass.LARGE, 1000, 40000),
        (SizeClass.MEDIUM, 300, 2000),
        (SizeClass.SMALL, 20, 300),
    ):
        if employees >= min_employees and revenue >= min_revenue:
            return size.value
    return SizeClass.MICRO.value
