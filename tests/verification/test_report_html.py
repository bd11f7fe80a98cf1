"""The HTML report as a researcher reads it: formulas drawn (no raw ``$…$`` LaTeX), each figure
embedded once, each statement beside the configuration measured; checked in the document and in a
real headless browser (skipped, with the reason, where none is installed)."""

import html
import re
import shutil
import subprocess

import numpy as np
import pytest
from matplotlib.image import imread

from memlab.verification.math_render import formula_html, readable

BROWSER = next((shutil.which(name) for name in ("chromium", "chromium-browser")), None)


def visible_text(document: str) -> str:
    """The text a reader sees: tags, styles and attribute values removed."""
    body = re.sub(r"<style>.*?</style>", "", document, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_formulas_are_drawn_not_shown_as_source(smoke_report):
    out, _ = smoke_report
    document = (out / "report.html").read_text()
    assert "$" not in visible_text(document)
    assert document.count("data:image/svg+xml;base64,") >= 20  # statements and assumptions
    assert "\\frac" not in document and "\\sigma" not in document


def test_each_figure_is_embedded_once(smoke_report):
    out, _ = smoke_report
    document = (out / "report.html").read_text()
    figures = re.findall(r'src="data:image/png;base64,([^"]+)"', document)
    assert figures and len(figures) == len(set(figures))
    assert "shown under" in document  # later claims point to it instead


def test_statements_sit_beside_the_measured_configuration(smoke_report):
    out, _ = smoke_report
    report = (out / "report.md").read_text()
    fig_1 = report[report.index("## `fig-1`") :]
    fig_1 = fig_1[: fig_1.index("\n## ")]
    assert "d=50" in fig_1 and "Measured here at d=30" in fig_1  # the smoke tier's d


def test_unparseable_latex_falls_back_to_readable_text():
    assert "$" not in formula_html(r"\unknowncommand{x} \le 3")
    assert readable(r"\frac{d\sigma_\star^2}{1 + \psi_t}") == "dσ_⋆^2/(1 + ψ_t)"
    assert readable(r"\frac{1}{2}\cdot\frac{d}{2} \log d") == "1/2 · d/2 log d"


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None, reason="no chromium installed (apt-get install chromium)")
def test_report_in_a_headless_browser(smoke_report, tmp_path):
    out, _ = smoke_report
    page = (out / "report.html").resolve().as_uri()
    flags = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    shot = tmp_path / "report.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1200,1600", page],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pixels = imread(shot)
    assert pixels.shape[:2] == (1600, 1200)
    grey = pixels[..., :3].mean(axis=2)
    assert grey.std() > 0.05 and (grey < 0.5).mean() > 0.005  # text and figures, not a blank page
    dom = subprocess.run(
        [*flags, "--dump-dom", page], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    assert "memorization-lab verification report" in dom
    assert "$" not in visible_text(dom)
    assert len(re.findall(r"<img[^>]+image/png", dom)) == len(
        set(re.findall(r'src="data:image/png;base64,([^"]+)"', dom))
    )
    assert np.isfinite(grey).all()
