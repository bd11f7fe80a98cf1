r"""LaTeX in the HTML report, rendered here rather than by a browser script: each formula becomes an
inline SVG drawn by matplotlib's mathtext (no network, no JavaScript), or, where mathtext cannot
parse it, readable Unicode text. Never raw ``$…$`` source.

mathtext knows a subset of LaTeX; :func:`mathtext_source` rewrites the constructs the claims use
that it lacks (``\text``, ``\mathbb E`` without braces, ``\iff``, ``\tfrac``, ``\Big``, ...).
"""

from __future__ import annotations

import base64
import html
import re
from functools import cache
from io import BytesIO

__all__ = ["mathtext_source", "readable", "formula_html"]

_REPLACEMENTS = (  # (pattern, replacement) applied in order
    (r"\\(?:Big|big|Bigg|bigg|left|right)\s*([()\[\]|.]|\\\{|\\\})", r"\1"),
    (r"\\tfrac|\\dfrac", r"\\frac"),
    (r"\\frac\s*(\w)\s*(\w)", r"\\frac{\1}{\2}"),
    (r"\\(mathbb|mathcal|mathrm|mathbf)\s+(\w)", r"\\\1{\2}"),
    (r"\\iff", r"\\Leftrightarrow"),
    (r"\\ge(?![a-z])", r"\\geq"),
    (r"\\le(?![a-z])", r"\\leq"),
    (r"\\arg\\min", r"\\mathrm{arg\\,min}"),
    (r"\{,\}", ","),
    (r"\\text\s*(\w)", r"\\text{\1}"),
)


def mathtext_source(latex: str) -> str:
    """``latex`` in the subset of LaTeX that mathtext parses (``\\text{a b}`` as upright text)."""
    source = latex
    for pattern, replacement in _REPLACEMENTS:
        source = re.sub(pattern, replacement, source)

    def upright(match: re.Match) -> str:
        words = match.group(1).replace(" ", r"\ ")
        return r"\mathrm{" + words + "}"

    source = re.sub(r"\\text\{([^{}]*)\}", upright, source)
    return source


_SYMBOLS = {
    "psi": "ψ",
    "sigma": "σ",
    "star": "⋆",
    "theta": "θ",
    "lambda": "λ",
    "alpha": "α",
    "gamma": "γ",
    "Gamma": "Γ",
    "pi": "π",
    "mu": "μ",
    "nabla": "∇",
    "Delta": "Δ",
    "infty": "∞",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "ll": "≪",
    "gg": "≫",
    "approx": "≈",
    "cdot": "·",
    "in": "∈",
    "mid": "|",
    "iff": "⇔",
    "sum": "Σ",
    "int": "∫",
    "min": "min",
    "log": "log",
    "quad": "  ",
    "times": "×",
    "ne": "≠",
    "to": "→",
    "bar": "",
    "tilde": "",
    "hat": "",
    "Leftrightarrow": "⇔",
}


def _fraction(match: re.Match) -> str:
    def grouped(part: str) -> str:  # parentheses only where the part has an operator or a space
        return part if re.fullmatch(r"[\w\\^.]+", part) else f"({part})"

    # spaced, so that a command before it (\cdot) does not run into its letters
    return f" {grouped(match.group(1))}/{grouped(match.group(2))} "


def readable(latex: str) -> str:
    """``latex`` as plain Unicode text: the fallback where mathtext cannot draw it."""
    text = mathtext_source(latex)
    for _ in range(4):  # inside out: nested braces
        text = re.sub(r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", _fraction, text)
        text = re.sub(r"\\(?:mathrm|mathbb|mathcal|mathbf)\s*\{([^{}]*)\}", r"\1", text)
        text = re.sub(r"\\sqrt\s*\{([^{}]*)\}", r"√(\1)", text)
        text = re.sub(r"([_^])\{([^{}]*)\}", r"\1(\2)", text)
    text = re.sub(r"\\([A-Za-z]+)", lambda m: _SYMBOLS.get(m.group(1), m.group(1)), text)
    text = (
        re.sub(r"\\[,;:! ]", " ", text).replace("\\|", "‖").replace("\\{", "{").replace("\\}", "}")
    )
    text = re.sub(r"[{}]", "", text)
    return re.sub(r"\s+", " ", text).replace("$", "").strip()


@cache
def _svg(source: str) -> bytes | None:
    """The formula drawn as SVG (glyphs as paths, no date: identical bytes on every build), or
    None where mathtext cannot parse it."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    prop = FontProperties(size=12)
    try:
        width, height, depth, *_ = MathTextParser("path").parse(f"${source}$", dpi=72, prop=prop)
    except ValueError:
        return None
    with rc_context({"svg.fonttype": "path", "svg.hashsalt": "memlab"}):
        figure = Figure(figsize=(width / 72, height / 72))
        FigureCanvasSVG(figure)
        figure.text(0, depth / height, f"${source}$", fontproperties=prop)
        buffer = BytesIO()
        figure.savefig(buffer, format="svg", dpi=72, transparent=True, metadata={"Date": None})
    return buffer.getvalue()


def formula_html(latex: str) -> str:
    """An ``<img>`` of the formula as an inline SVG data URI (its alt text readable Unicode), or
    the readable text itself where mathtext cannot draw it."""
    text = readable(latex)
    svg = _svg(mathtext_source(latex))
    if svg is None:
        return f'<span class="math">{html.escape(text)}</span>'
    data = base64.b64encode(svg).decode("ascii")
    return (
        f'<img class="math" alt="{html.escape(text, quote=True)}" '
        f'src="data:image/svg+xml;base64,{data}">'
    )
