"""The course exercises build with ``otter assign`` and grade as they should.

For every source notebook in ``notebooks/exercises/`` (otter-assign format, with solutions),
at reduced size (``SMALL = True`` in its ``parameters`` cell):

* ``otter assign`` builds the student version and the autograder in a temporary directory;
* the solution notebook, graded by ``otter run`` with every hidden test, scores full marks
  (this is also where each exercise solution is executed top to bottom);
* the student version contains no line of solution code and no hidden test, and scores 0;
* exercise 2 answered as a user reported it (``SUBMISSIONS``) loses the marks it should.

The wrong answers of every question are checked in process, faster, in ``tests/test_graders.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from tests.notebook_utils import set_small
from tests.test_graders import WRONG_ANSWERS

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "notebooks" / "exercises").glob("ex*.ipynb"))
OTTER = shutil.which("otter", path=str(Path(sys.executable).parent)) or shutil.which("otter")

pytestmark = pytest.mark.skipif(OTTER is None, reason="otter-grader is not installed")


def _solution_lines(nb) -> set[str]:
    """Code lines an answer must not reveal: inside BEGIN/END SOLUTION or marked # SOLUTION."""
    lines, inside = set(), False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            text = line.strip()
            if text.startswith("# BEGIN SOLUTION"):
                inside = True
            elif text.startswith("# END SOLUTION"):
                inside = False
            elif inside or text.endswith("# SOLUTION"):
                code = text.removesuffix("# SOLUTION").strip()
                if len(code) > 6:
                    lines.add(code)
    return lines


# A kernel that never answers its first request is the machine, not the exercise: otter's
# executor gives a new kernel 60 s and has no option to wait longer, and on a loaded CI machine
# (or when two kernels race for the same free port) that can pass. Such a start-up failure,
# and only that, is retried; a failing check or a broken notebook fails at once.
KERNEL_START_FAILURES = ("Kernel didn't respond", "Kernel died before replying")


def _run(args, cwd, attempts=3):
    for attempt in range(1, attempts + 1):
        proc = subprocess.run([OTTER, *args], cwd=cwd, capture_output=True, text=True, timeout=600)
        output = proc.stdout[-3000:] + proc.stderr[-3000:]
        if proc.returncode == 0 or not any(s in output for s in KERNEL_START_FAILURES):
            break
        print(f"otter {args[0]}: kernel start-up failed (attempt {attempt}/{attempts}), retrying")
    assert proc.returncode == 0, output
    return proc


# Submissions graded by otter run besides the solution and the empty student version: each
# replaces the solution cells starting with the given text by a wrong answer of
# tests/test_graders.py (question, name). Exercise 2 as a user reported it: the zero rule
# ignored (4 crossings for the notebook's own example, where the answer is 2), every count
# equal to n, and ρ = 0.5; all of it used to pass grader.check and score full marks.
SUBMISSIONS = {
    "ex2_zero_crossings": {
        "user_report": {
            "def count_zero_crossings": ("q1", "zero rule ignored: np.diff(np.sign(v)) != 0"),
            "crossings = ": ("q2", "all n (the user's report)"),
            "rho = ": ("q3", "the constant 0.5 (the user's report)"),
        },
    },
    # exercise 7 through the real otter path: one gross wrong answer per question
    "ex7_digits": {
        "gross_answers": {
            "# BEGIN SOLUTION\ndef kernel_predict": ("q1", "zeros"),
            "# BEGIN SOLUTION\nacc = {}": ("q2", "one number for both"),
            "# BEGIN SOLUTION\nres = ": ("q3", "a guess in percent"),
        },
    },
    # exercise 8 through the real otter path: one gross wrong answer per question
    "ex8_architectures": {
        "gross_answers": {
            "# BEGIN SOLUTION\ndef semicircle": ("q1", "NaN outside the support"),
            "# BEGIN SOLUTION\ndef ks_distance": ("q2", "all zeros"),
            "# BEGIN SOLUTION\ndef rnn_variance": ("q3", "a constant"),
        },
    },
}


def _wrong_code(name: str, question: str, wrong: str) -> str:
    (code,) = [w.code for w in WRONG_ANSWERS[name][question] if w.name == wrong]
    return code.strip()


def _grade(notebook: Path, autograder: Path, out: Path) -> list[dict]:
    """otter run: results.json's entries (one per question, and "Public Tests")."""
    out.mkdir()
    _run(["run", "--no-logo", "-a", str(autograder), "-o", str(out), str(notebook)],
         cwd=notebook.parent)
    return json.loads((out / "results.json").read_text())["tests"]


def _scores(tests: list[dict]) -> dict[str, tuple[float, float]]:
    return {t["name"]: (t["score"], t["max_score"]) for t in tests if "max_score" in t}


def _submission(solution: Path, name: str, answers: dict, path: Path) -> Path:
    """The solution notebook with some answer cells replaced by wrong answers."""
    nb = nbformat.read(solution, as_version=4)
    for start, (question, wrong) in answers.items():
        cells = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(start)]
        assert len(cells) == 1, f"{name}: expected one answer cell starting with {start!r}"
        cells[0].source = _wrong_code(name, question, wrong)
    nbformat.write(nb, path)
    return path


def _build_and_grade(src: Path, tmp: Path) -> dict:
    """otter assign at reduced size, then grade the solution, the student version and the
    wrong submissions."""
    nb = nbformat.read(src, as_version=4)
    set_small(nb)
    master = tmp / src.name
    nbformat.write(nb, master)
    _run(["assign", "--no-run-tests", "--no-pdfs", str(master), str(tmp / "dist")], cwd=tmp)
    (zip_path,) = (tmp / "dist" / "autograder").glob("*.zip")
    solution = tmp / "dist" / "autograder" / src.name
    student = tmp / "dist" / "student" / src.name
    submissions = {
        label: _grade(_submission(solution, src.stem, answers, tmp / f"{label}.ipynb"),
                      zip_path, tmp / f"graded_{label}")
        for label, answers in SUBMISSIONS.get(src.stem, {}).items()
    }
    return dict(source=nb, student=nbformat.read(student, as_version=4),
                solution_scores=_scores(_grade(solution, zip_path, tmp / "graded_solution")),
                student_scores=_scores(_grade(student, zip_path, tmp / "graded_student")),
                submissions=submissions)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every exercise built and graded once; the pipelines run in parallel (each is mostly
    process start-up and notebook execution in separate processes)."""
    workers = max(1, min(len(SOURCES), os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        futures = {src.stem: pool.submit(_build_and_grade, src, tmp_path_factory.mktemp(src.stem))
                   for src in SOURCES}
        return {name: f.result() for name, f in futures.items()}


NAMES = [p.stem for p in SOURCES]


def test_exercises_found():
    assert len(SOURCES) >= 4


@pytest.mark.parametrize("name", NAMES)
def test_exercise_has_questions_and_intro(name, graded):
    nb = graded[name]["source"]
    first_md = next(c for c in nb.cells if c.cell_type == "markdown")
    assert "You will" in first_md.source
    assert any("Things to try" in c.source for c in nb.cells[-3:])
    assert any(c.cell_type == "raw" and c.source.startswith("# BEGIN QUESTION") for c in nb.cells)


@pytest.mark.parametrize("name", NAMES)
def test_solution_passes_every_check(name, graded):
    scores = graded[name]["solution_scores"]
    assert scores, "no graded questions found"
    failed = {q: s for q, s in scores.items() if s[0] != s[1]}
    assert not failed, f"solution fails {failed}"


@pytest.mark.parametrize("name", NAMES)
def test_student_version_has_no_solutions_and_fails(name, graded):
    student = graded[name]["student"]
    text = "\n".join(c.source for c in student.cells)
    leaked = [line for line in _solution_lines(graded[name]["source"]) if line in text]
    assert not leaked, f"solution lines in the student version: {leaked}"
    assert "hidden=True" not in json.dumps(student.metadata), "hidden tests shipped to students"
    assert "BEGIN SOLUTION" not in text and "BEGIN QUESTION" not in text
    passed = {q: s for q, s in graded[name]["student_scores"].items() if s[0] > 0}
    assert not passed, f"an unanswered student notebook passes {passed}"


def _failures(output: str, question: str) -> int:
    """Failed test cases of ``question`` in a results.json output ("q1 results: ... ❌")."""
    section = output.split(f"{question} results:", 1)[1] if f"{question} results:" in output else ""
    section = re.split(r"\n\S+ results:", section, maxsplit=1)[0]
    return section.count("❌")


@pytest.mark.parametrize(("name", "label"), [(n, lb) for n, subs in SUBMISSIONS.items()
                                             for lb in subs])
def test_wrong_submission_loses_marks(name, label, graded):
    """Every wrongly answered question scores below full marks under otter run, fails a public
    test (the "Public Tests" entry: what grader.check shows the student) and a hidden one."""
    tests = graded[name]["submissions"][label]
    scores = _scores(tests)
    public = next(t["output"] for t in tests if t["name"] == "Public Tests")
    for question, _ in SUBMISSIONS[name][label].values():
        score, full = scores[question]
        assert score < full, f"{label}: {question} scores {score}/{full}"
        own = next(t["output"] for t in tests if t["name"] == question)
        n_public, n_all = _failures(public, question), _failures(own, question)
        assert n_public >= 1, f"{label}: no public check of {question} fails:\n{public}"
        assert n_all > n_public, f"{label}: no hidden test of {question} fails:\n{own}"
