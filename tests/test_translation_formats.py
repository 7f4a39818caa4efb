"""Every translation formats the way the app will format it, in every catalogue.

Jinja's new-style gettext (`_("… %(name)s …", name=…)`) %-formats every translation, with or
without variables, so a bare "%" in a translation is a 500 on that page in that language
(the label page's "(100%)" was). Python's gettext formats only when given variables. So each
msgstr must %-format with its msgid's named placeholders, use exactly those placeholders, and
hold no "%" at all where its msgid holds none (the same text is shown unformatted by Python).
A msgid that cannot be formatted itself ("Commission (%)") is a literal label Python shows as
it is: its translation keeps the same percent signs.
"""

import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted((ROOT / "shop/translations").glob("*/LC_MESSAGES/messages.po"))
# A printf conversion: %% or %[(name)][flags][width][.precision]type
CONVERSION = re.compile(r"%(?:%|(?:\((?P<name>\w+)\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa])")


def placeholders(text: str) -> set[str]:
    """The named placeholders in a message ('%' for a positional one)."""
    return {m.group("name") or "%" for m in CONVERSION.finditer(text) if m.group() != "%%"}


def format_like_the_app(text: str, names: set[str]) -> str:
    """What Jinja's new-style gettext does: text % {the call's variables}."""
    return text % dict.fromkeys(names, 1)


def messages(po: Path):
    with po.open("rb") as fh:
        catalogue = read_po(fh)
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        yield message, ids, [s for s in strings if s]


def formats(text: str, names: set[str]) -> bool:
    try:
        format_like_the_app(text, names)
    except (ValueError, TypeError, KeyError):
        return False
    return True


def problems_with(ids: tuple[str, ...], strings: list[str]) -> list[str]:
    """What would go wrong formatting this message (its msgid forms and translations)."""
    problems = []
    names = set().union(*(placeholders(i) for i in ids))  # ngettext passes num to every form
    if "%" not in names and not all(formats(i, names) for i in ids):
        # A literal text ("Commission (%)") that Python shows as it is, never %-formatted (in a
        # template it would fail in English too, which the smoke test sees): its translation
        # keeps the msgid's percent signs and has no placeholders of its own.
        return [
            f"{ids[0]!r} → {text!r}: a literal message keeps the msgid's '%' signs, no more"
            for text in strings
            if text.count("%") != ids[0].count("%") or placeholders(text)
        ]
    for text in (*ids, *strings):
        where = f"{ids[0]!r} → {text!r}"
        if "%" in names:
            problems.append(f"{where}: positional placeholder; name it, %(name)s")
            continue
        try:
            format_like_the_app(text, names)
        except (ValueError, TypeError, KeyError) as exc:
            problems.append(f"{where}: {exc}")
            continue
        if text not in ids and placeholders(text) != placeholders(ids[-1]):
            problems.append(f"{where}: placeholders {placeholders(text)} ≠ the msgid's")
        if "%" in text and not any("%" in i for i in ids):
            problems.append(f"{where}: a '%' where the msgid has none")
    return problems


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_translation_formats_with_its_msgid_s_placeholders(po):
    problems = [p for _, ids, strings in messages(po) for p in problems_with(ids, strings)]
    assert problems == [], "\n".join(problems)


def key(message) -> tuple:
    ids = message.id if isinstance(message.id, list | tuple) else (message.id,)
    return (message.context, *ids)


def value(message) -> tuple:
    strings = message.string if isinstance(message.string, list | tuple) else (message.string,)
    return tuple(strings)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_the_compiled_catalogue_is_the_po_file(po):
    """`make translations` was run: the .mo the app loads says what the .po says."""
    with po.open("rb") as fh:
        source = {key(m): value(m) for m in read_po(fh) if m.id and any(value(m))}
    with po.with_suffix(".mo").open("rb") as fh:
        compiled = {key(m): value(m) for m in read_mo(fh) if m.id}
    assert compiled == source


@pytest.mark.parametrize(
    ("ids", "translation"),
    [
        # The label page's hint before the fix: a 500 in Vietnamese only.
        (("Print at actual size, not “fit to page”.",), "In đúng kích thước thật (100%), không"),
        (("%(n)s-star OCOP product",), "Sản phẩm OCOP %(n)d sao%"),
        (("%(n)s-star OCOP product",), "Sản phẩm OCOP %(stars)s sao"),
        (("%(n)s-star OCOP product",), "Sản phẩm OCOP ba sao"),
        (("Batch of 100%% cotton",), "Lô 100%"),
        (("Print at actual size",), "In đúng tỉ lệ 100%%"),  # fine in Jinja, "%%" in Python
        (("%(num)s day left", "%(num)s days left"), "còn %(count)s ngày"),
        (("%s stars",), "%s sao"),
        (("Commission (%)",), "Hoa hồng (%%)"),
        (("Commission (%)",), "Hoa hồng %(n)s (%)"),
    ],
)
def test_the_check_catches_each_kind_of_broken_translation(ids, translation):
    assert problems_with(ids, [translation]) != []


@pytest.mark.parametrize(
    ("ids", "translation"),
    [
        (("%(n)s-star OCOP product",), "Sản phẩm OCOP %(n)s sao"),
        (("%(num)s day left", "%(num)s days left"), "còn %(num)s ngày"),
        (("Batch of 100%% cotton",), "Lô 100%% cotton"),
        (("Print at actual size",), "In đúng kích thước thật"),
        (("Commission (%)",), "Hoa hồng (%)"),  # a literal label, shown unformatted by Python
    ],
)
def test_the_check_passes_good_translations(ids, translation):
    assert problems_with(ids, [translation]) == []
