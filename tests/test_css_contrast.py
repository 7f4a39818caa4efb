"""Every colour pair the stylesheets declare reads at WCAG AA (4.5:1), the theme's text colours on
the theme's backgrounds too; axe only sees the pairs that happen to be on the pages it visits."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parent.parent / "static" / "css"
THEME = (CSS / "shop.css").read_text()
VARIABLES = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", THEME))
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
# Text colours that sit on any of the light backgrounds (cards, notices, badges, the page).
TEXT = ("ink", "muted", "green-700", "green-900", "danger", "gold-700")
LIGHT = ("paper", "green-100", "danger-bg", "info-bg")


def colour(value: str) -> str | None:
    value = value.strip()
    if match := re.match(r"var\(--([\w-]+)\)", value):
        return VARIABLES.get(match[1])
    if match := re.match(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", value):
        return match[0]
    return {"white": "#ffffff", "black": "#000000"}.get(value)


def luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def declared_pairs() -> list[tuple[str, str, str, str]]:
    """(file, selector, colour, background) for each rule that sets both, in every stylesheet."""
    pairs = []
    for path in sorted(CSS.glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
        for selector, body in RULE.findall(text):
            fg = re.search(r"(?<![-\w])color:\s*([^;]+)", body)
            bg = re.search(r"background(?:-color)?:\s*([^;]+)", body)
            if fg and bg and colour(fg[1]) and colour(bg[1]):
                pairs.append((path.name, " ".join(selector.split()), colour(fg[1]), colour(bg[1])))
    return pairs


def test_the_contrast_formula_matches_wcag():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#f4c542", "#2f6b3a") == pytest.approx(3.93, abs=0.01)  # the old EN/VI


def test_every_declared_colour_pair_reads_at_aa():
    pairs = declared_pairs()
    assert len(pairs) > 20
    weak = [
        f"{name} {selector}: {fg} on {bg} = {contrast(fg, bg):.2f}"
        for name, selector, fg, bg in pairs
        if contrast(fg, bg) < 4.5
    ]
    assert not weak, "\n".join(weak)


@pytest.mark.parametrize("text", TEXT)
def test_theme_text_colours_read_on_every_light_background(text):
    backgrounds = {name: VARIABLES[name] for name in LIGHT} | {"card": "#ffffff"}
    weak = {
        name: round(contrast(VARIABLES[text], bg), 2)
        for name, bg in backgrounds.items()
        if contrast(VARIABLES[text], bg) < 4.5
    }
    assert not weak, f"--{text} on {weak}"


def test_the_current_language_reads_on_the_header():
    rules = re.findall(r"\.lang-switch strong \{([^}]*)\}", THEME)
    fg = next(re.search(r"(?<![-\w])color:\s*([^;]+)", r)[1] for r in rules if "color:" in r)
    assert contrast(colour(fg), VARIABLES["green-700"]) >= 4.5
