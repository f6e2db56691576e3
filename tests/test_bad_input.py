"""Bad input an adversarial user tries: each refused with a message (file:line where it has one),
never a traceback; and the synthetic-data notice goes away only for an explicit ``synthetic: false``."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.data import DESCRIPTOR, StudyData, load, validate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(tmp_path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(ROOT / "data", dest)
    return dest


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})), timeout=300)


def edit_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------- counts beyond 64 bits
def test_a_count_of_ten_to_the_thirty_is_refused_with_its_line(data):
    edit_line(data / "offices.csv", 3, "2,tiltak,62,", "2,tiltak," + "1" + "0" * 30 + ",")
    proc = cli("validate", str(data))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "offices.csv:3: column 'kvp_participants_2010' value '1" + "0" * 30 + "' — integer too large" in proc.stdout


def test_the_largest_64_bit_integer_is_read_exactly(data):
    """Converted without a detour through float (which would round it, or crash the cast)."""
    edit_line(data / "offices.csv", 3, "2,tiltak,62,", f"2,tiltak,{2**63 - 1},")
    problems = validate(data)
    assert not any("kvp_participants_2010" in p and "integer" in p for p in problems), problems


# ---------------------------------------------------------------- the descriptor
@pytest.mark.parametrize("content, expect", [
    ("5\n", "datapackage.yaml:1: value '5' — not a YAML mapping"),
    ("- synthetic: true\n", "not a YAML mapping"),
    ("", "datapackage.yaml:1: — empty descriptor"),
    ("# bare en kommentar\n", "empty descriptor"),
    ("synthetic\n", "not a YAML mapping"),
    ("name: x\nsynthetic:\n", "datapackage.yaml:2: column 'synthetic' value '' — must be the YAML boolean true or false"),
    ("name: x\nsynthetic: 'false'\n", "datapackage.yaml:2: column 'synthetic' value 'false' — must be the YAML boolean"),
    ("synthetic: nei\n", "column 'synthetic' value 'nei'"),
    ("synthetic: 0\n", "column 'synthetic' value '0'"),
])
def test_a_descriptor_that_cannot_say_synthetic_is_refused(data, content, expect):
    (data / DESCRIPTOR).write_text(content, encoding="utf-8")
    problems = validate(data)
    assert any(expect in p for p in problems), problems


def test_a_descriptor_that_is_a_folder_is_refused(data):
    (data / DESCRIPTOR).unlink()
    (data / DESCRIPTOR).mkdir()
    proc = cli("validate", str(data))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "datapackage.yaml: — not a file" in proc.stdout


def test_a_number_as_descriptor_stops_build_with_a_message(data, tmp_path):
    (data / DESCRIPTOR).write_text("5\n", encoding="utf-8")
    proc = cli("build", "--data", str(data), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "ikke gyldige" in proc.stderr and "not a YAML mapping" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_only_an_explicit_false_removes_the_synthetic_notice(data):
    text = (data / DESCRIPTOR).read_text(encoding="utf-8")
    (data / DESCRIPTOR).write_text(text.replace("\nsynthetic: true\n", "\nsynthetic: false\n"), encoding="utf-8")
    assert load(data).synthetic is False
    # a descriptor without the key (or an empty one) never reaches the book, and would keep the notice
    assert StudyData(data, {}, {}, "").synthetic is True
    assert StudyData(data, {}, {"synthetic": None}, "").synthetic is True
    assert StudyData(data, {}, {"synthetic": "false"}, "").synthetic is True


# ---------------------------------------------------------------- HPMT_* settings
@pytest.mark.parametrize("name, value, expect", [
    ("HPMT_MIN_CELL", "abc", "HPMT_MIN_CELL må være et heltall"),
    ("HPMT_MIN_CELL", "-1", "HPMT_MIN_CELL kan ikke være mindre enn 0"),
    ("HPMT_CHANGE_THRESHOLD", "abc", "HPMT_CHANGE_THRESHOLD må være et tall"),
    ("HPMT_CHANGE_THRESHOLD", "nan", "HPMT_CHANGE_THRESHOLD må være et endelig tall"),
])
def test_a_setting_that_is_not_a_number_stops_build_with_a_norwegian_message(tmp_path, name, value, expect):
    proc = cli("build", "--out", str(tmp_path / "out"), "--only", "tbl-kontor-skalaer", env={name: value})
    assert proc.returncode == 2, proc.stderr
    assert expect in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_decimal_comma_setting_is_read(monkeypatch):
    from analysis.config import setting

    monkeypatch.setenv("HPMT_CHANGE_THRESHOLD", "0,1")
    assert setting("HPMT_CHANGE_THRESHOLD") == pytest.approx(0.1)


# ---------------------------------------------------------------- digits other than 0–9
@pytest.mark.parametrize("file, line, column, old, new", [
    ("offices.csv", 2, "office_id", "1,sammenligning,", "\u0661,sammenligning,"),  # Arabic-Indic one
    ("caseworkers.csv", 2, "birth_year", ",kvinne,1956,", ",kvinne,\uff11\uff19\uff15\uff16,"),  # full-width 1956
    ("participants.csv", 2, "t1_date", ",2011-06-02,", ",\uff12011-06-02,"),
    ("participants.csv", 2, "years_last_job", ",3,2.6,", ",3,\u0662.6,"),
    ("participants.csv", 2, "years_last_job", ",3,2.6,", ",3,inf,"),
    ("participants.csv", 2, "years_last_job", ",3,2.6,", ",3, 2.6,"),
])
def test_only_ascii_digits_are_numbers(data, file, line, column, old, new):
    edit_line(data / file, line, old, new)
    value = new.strip(",").split(",")[-1] if column != "office_id" else "\u0661"
    problems = validate(data)
    assert any(p.startswith(f"{file}:{line}: column '{column}' value '{value}' — not ") for p in problems), problems


def test_an_arabic_indic_office_id_is_refused_by_the_command(data):
    edit_line(data / "offices.csv", 2, "1,sammenligning,", "\u0661,sammenligning,")
    proc = cli("validate", str(data))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "offices.csv:2: column 'office_id' value '\u0661' — not an integer" in proc.stdout
