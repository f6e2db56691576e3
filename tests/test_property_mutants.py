"""Property: for every mutant of the bundled data (a cell value, a row, a column, the encoding, a
truncated file), either ``validate`` refuses it with file:line messages and ``build`` writes nothing,
or ``build`` finishes with a complete output folder. Never a traceback, never a partial folder.

The mutants are drawn by hypothesis, derandomized (the same ones in every run). A valid mutant costs
a whole build (about half a minute here), so a default run tries ``HPMT_PROPERTY_EXAMPLES`` = 12
mutants; set it higher for a longer search.
"""

import csv
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from analysis import outdir  # noqa: E402
from analysis.build import build  # noqa: E402
from analysis.data import DataError, validate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p.name for p in (ROOT / "data").glob("*.csv"))
EXAMPLES = int(os.environ.get("HPMT_PROPERTY_EXAMPLES", "12"))
#: values an adversarial user tries, and some random text
TRICKY = ["", "١", "１９５６", "1e400", "-1", "99999999999999999999999999999", "nan", "inf", "<script>x</script>",
          "=1+1", "true", "TRUE", "2011-02-30", " 5", "5\n6", '"', "\x00", "0", "1", "2012-01-01", "tiltak", "T2"]
VALUES = st.one_of(st.sampled_from(TRICKY), st.text(max_size=10))
#: a problem line: file, optionally :line, then ': '
PROBLEM = re.compile(r"^[\w.\-/]+(:\d+)?: ")

#: free-text columns: most values there are valid, so these mutants reach a build
FREE_TEXT = [("gatherings.csv", "title"), ("gatherings.csv", "audience"), ("qual_codes.csv", "label"),
             ("qual_codes.csv", "description"), ("qual_segments.csv", "text")]

MUTATIONS = st.one_of(
    st.tuples(st.just("text"), st.sampled_from(FREE_TEXT), st.integers(0, 10**6), VALUES),
    st.tuples(st.just("cell"), st.sampled_from(FILES), st.integers(0, 10**6), st.integers(0, 99), VALUES),
    st.tuples(st.just("drop_row"), st.sampled_from(FILES), st.integers(0, 10**6)),
    st.tuples(st.just("duplicate_row"), st.sampled_from(FILES), st.integers(0, 10**6)),
    st.tuples(st.just("drop_column"), st.sampled_from(FILES), st.integers(0, 99)),
    st.tuples(st.just("latin1"), st.sampled_from(FILES)),
    st.tuples(st.just("truncate"), st.sampled_from(FILES), st.floats(0.0, 1.0)),
)


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write(path: Path, rows) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def mutate(folder: Path, mutation) -> None:
    kind, name, *args = mutation
    if kind == "text":
        (name, column), (r, value) = name, args
        mutation = ("cell", name, r, _rows(folder / name)[0].index(column), value)
        kind, name, *args = mutation
    path = folder / name
    if kind == "latin1":
        path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace") + "æøå\n".encode("latin-1"))
        return
    if kind == "truncate":
        raw = path.read_bytes()
        path.write_bytes(raw[: int(len(raw) * args[0])])
        return
    rows = _rows(path)
    body = rows[1:]
    if kind == "drop_column":
        col = args[0] % len(rows[0])
        rows = [r[:col] + r[col + 1:] for r in rows]
    elif body and kind == "cell":
        r, c, value = args
        row = body[r % len(body)]
        row[c % len(row)] = value
    elif body and kind == "drop_row":
        del body[args[0] % len(body)]
        rows = rows[:1] + body
    elif body and kind == "duplicate_row":
        body.append(list(body[args[0] % len(body)]))
        rows = rows[:1] + body
    _write(path, rows)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutation=MUTATIONS)
def test_every_mutant_is_refused_cleanly_or_built_completely(mutation):
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "data", Path(tmp) / "out"
        shutil.copytree(ROOT / "data", data)
        mutate(data, mutation)
        problems = validate(data)
        event(f"{mutation[0]}: {'refused' if problems else 'valid, built'}")
        if problems:
            bad = [p for p in problems if not PROBLEM.match(p)]
            assert bad == [], (mutation, bad[:3])
            with pytest.raises(DataError):
                build(data, out, jobs=1)
            assert sorted(p.name for p in Path(tmp).iterdir()) == ["data"], mutation  # nothing written
        else:
            build(data, out, jobs=1)  # a traceback here fails the test
            listed = outdir._listed(out)
            files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {outdir.MARKER}
            assert listed is not None and files <= listed and (out / "results.json").is_file(), mutation
