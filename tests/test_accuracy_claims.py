"""Prose and outputs cannot drift apart: accuracies the text states come from the record.

Whenever a section's prose states a test accuracy it writes `测试准确率约为 0.85` (CONTRIBUTING.md);
the number may not exceed what the recorded run printed. Sections of chapter 3 must also reach the
accuracies the book promises on the full Fashion-MNIST data set.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from booksite import ROOT

CHAPTERS = ROOT / "docs" / "chapters"
RECORDS = ROOT / "notebooks"
CLAIM = re.compile(r"测试准确率(?:约为|达到了|达到|约|为|是)?\s*(\d\.\d+)")
PRINTED = re.compile(r"test acc (\d\.\d+)")
# Section → the least final test accuracy each of its training runs must reach.
MINIMUM = {
    "chapter_deep-learning-basics/softmax-regression-scratch": 0.82,
    "chapter_deep-learning-basics/softmax-regression-gluon": 0.82,
    "chapter_deep-learning-basics/mlp-scratch": 0.84,
    "chapter_deep-learning-basics/mlp-gluon": 0.84,
    "chapter_deep-learning-basics/dropout": 0.84,
}


def _text(output) -> str:
    if output.output_type == "stream":
        return output.text
    return output.get("data", {}).get("text/plain", "")


def run_finals(nb) -> list[float]:
    """The last `test acc` each code cell printed: one value per training run."""
    finals = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            found = [float(x) for o in cell.get("outputs", []) for x in PRINTED.findall(_text(o))]
            if found:
                finals.append(found[-1])
    return finals


def sections_with_records():
    for record in sorted(RECORDS.rglob("*.ipynb")):
        stem = record.relative_to(RECORDS).with_suffix("").as_posix()
        if (CHAPTERS / f"{stem}.md").exists():
            yield stem


@pytest.mark.parametrize("stem", list(sections_with_records()))
def test_stated_accuracies_do_not_exceed_the_recorded_run(stem):
    nb = nbformat.read(RECORDS / f"{stem}.ipynb", as_version=4)
    prose = (CHAPTERS / f"{stem}.md").read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", prose, flags=re.S)  # claims live in prose, not in code
    claims = [float(x) for x in CLAIM.findall(prose)]
    finals = run_finals(nb)
    if claims:
        assert finals, f"{stem}.md states test accuracies {claims} but its record printed none"
        best = max(finals)
        for claim in claims:
            assert claim <= best + 1e-9, f"{stem}.md claims 测试准确率 {claim}, the run reached {finals}"


@pytest.mark.parametrize("stem", sorted(MINIMUM))
def test_chapter_three_reaches_the_promised_accuracy(stem):
    if not (CHAPTERS / f"{stem}.md").exists():
        pytest.skip(f"{stem}.md is not written yet")
    finals = run_finals(nbformat.read(RECORDS / f"{stem}.ipynb", as_version=4))
    assert finals, f"{stem}: no training run in the record"
    assert min(finals) >= MINIMUM[stem], f"{stem}: final test accuracies {finals} < {MINIMUM[stem]}"


def test_claim_pattern_reads_the_documented_forms():
    text = "测试准确率约为 0.85，后来测试准确率达到0.861，测试准确率 0.8。"
    assert [float(x) for x in CLAIM.findall(text)] == [0.85, 0.861, 0.8]


ERRORS = re.compile(r"error in w: ([\d.e-]+) error in b: ([\d.e-]+)")


@pytest.mark.parametrize("stem", ["chapter_deep-learning-basics/linear-regression-scratch"])
def test_linear_regression_recovers_the_true_parameters(stem):
    nb = nbformat.read(RECORDS / f"{stem}.ipynb", as_version=4)
    printed = " ".join(_text(o) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    found = ERRORS.findall(printed)
    assert found, f"{stem}: the record prints no 'error in w … error in b …' line"
    w_err, b_err = map(float, found[-1])
    assert w_err < 0.01 and b_err < 0.01, (w_err, b_err)
