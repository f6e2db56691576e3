"""Bad input an adversarial user tries: each refused with a message (file:line where it has one),
never a traceback; and the synthetic-data notice goes away only for an explicit ``synthetic: false``."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.data import DESCRIPTOR, StudyData, load, read_package, validate

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
    assert "offices.csv:3: kolonne 'kvp_participants_2010' verdi '1" + "0" * 30 + "' — heltallet er for stort" in proc.stdout


def test_the_largest_64_bit_integer_is_read_exactly(data):
    """Converted without a detour through float (which would round it, or crash the cast); as an
    office's yearly count it is then refused by the codebook's plausible maximum, not as too large."""
    edit_line(data / "offices.csv", 3, "2,tiltak,62,", f"2,tiltak,{2**63 - 1},")
    frames, _, problems = read_package(data)
    assert frames["offices"].loc[1, "kvp_participants_2010"] == 2**63 - 1  # line 3 is row 1
    assert [p for p in problems if "kvp_participants_2010" in p] == [
        f"offices.csv:3: kolonne 'kvp_participants_2010' verdi '{2**63 - 1}' — over maksimum 10\u00a0000"]


# ---------------------------------------------------------------- plausible office counts
def set_office_cell(data: Path, line: int, column: str, value: str) -> None:
    import csv

    path = data / "offices.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    rows[line - 1][rows[0].index(column)] = value
    path.write_text("".join(",".join(r) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.parametrize("column", ["kvp_participants_2010", "kvp_completed_2010", "kvp_in_work_2010",
                                    "kvp_target_2011"])
def test_an_implausibly_large_office_count_is_refused(data, column):
    """The largest office in the report has about 100–200 KVP participants a year; the codebook's
    maximum for an office's yearly count is 10 000, and the message names it."""
    set_office_cell(data, 3, column, "10001")
    assert f"offices.csv:3: kolonne '{column}' verdi '10001' — over maksimum 10\u00a0000" in validate(data)


def test_the_plausible_maximum_itself_is_accepted(data):
    set_office_cell(data, 3, "kvp_participants_2010", "10000")
    set_office_cell(data, 3, "kvp_target_2011", "10000")
    assert validate(data) == []


def test_the_plausibility_message_reaches_the_command_line(data):
    set_office_cell(data, 4, "kvp_target_2011", "59000")
    proc = cli("validate", str(data))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.splitlines() == ["offices.csv:4: kolonne 'kvp_target_2011' verdi '59000' — over maksimum 10\u00a0000"]
    assert proc.stderr.strip().endswith(" s)") and ": 1 problem (" in proc.stderr, proc.stderr


# ---------------------------------------------------------------- the descriptor
@pytest.mark.parametrize("content, expect", [
    ("5\n", "datapackage.yaml:1: verdi '5' — ikke en YAML-tabell"),
    ("- synthetic: true\n", "ikke en YAML-tabell"),
    ("", "datapackage.yaml:1: — tom beskrivelse"),
    ("# bare en kommentar\n", "tom beskrivelse"),
    ("synthetic\n", "ikke en YAML-tabell"),
    ("name: x\nsynthetic:\n", "datapackage.yaml:2: kolonne 'synthetic' verdi '' — skal være YAML-sannhetsverdien true eller false"),
    ("name: x\nsynthetic: 'false'\n", "datapackage.yaml:2: kolonne 'synthetic' verdi 'false' — skal være YAML-sannhetsverdien"),
    ("synthetic: nei\n", "kolonne 'synthetic' verdi 'nei'"),
    ("synthetic: 0\n", "kolonne 'synthetic' verdi '0'"),
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
    assert "datapackage.yaml: — ikke en fil" in proc.stdout


def test_a_number_as_descriptor_stops_build_with_a_message(data, tmp_path):
    (data / DESCRIPTOR).write_text("5\n", encoding="utf-8")
    proc = cli("build", "--data", str(data), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "ikke gyldige" in proc.stderr and "ikke en YAML-tabell" in proc.stderr
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
    assert any(p.startswith(f"{file}:{line}: kolonne '{column}' verdi '{value}' — ikke ") for p in problems), problems


def test_an_arabic_indic_office_id_is_refused_by_the_command(data):
    edit_line(data / "offices.csv", 2, "1,sammenligning,", "\u0661,sammenligning,")
    proc = cli("validate", str(data))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "offices.csv:2: kolonne 'office_id' verdi '\u0661' — ikke et heltall" in proc.stdout


# ---------------------------------------------------------------- smaller: hints, clean messages, plausibility
def test_a_semicolon_separated_file_gets_a_hint(data):
    text = (data / "offices.csv").read_text(encoding="utf-8")
    (data / "offices.csv").write_text(text.replace(",", ";"), encoding="utf-8")
    problems = validate(data)
    assert any(p.startswith("offices.csv:1: — kolonnene ser ut til å være skilt med semikolon (;); kodeboka "
                            "krever komma") for p in problems), problems[:3]


def test_control_characters_are_not_echoed_into_messages(data):
    edit_line(data / "offices.csv", 2, "1,sammenligning,", "1,samm\x00en\x1b[31m,")
    problems = [p for p in validate(data) if "offices.csv:2: kolonne 'arm'" in p]
    assert problems and "\x00" not in problems[0] and "\x1b" not in problems[0]
    assert "samm\\x00en\\x1b[31m" in problems[0]


def test_more_completed_than_participants_is_refused(data):
    edit_line(data / "offices.csv", 2, "1,sammenligning,75,18,", "1,sammenligning,75,80,")
    assert "offices.csv:2: kolonne 'kvp_completed_2010' verdi '80' — flere enn kontorets KVP-deltakere" \
        in "\n".join(validate(data))


def test_gatherings_out_of_order_are_refused_with_their_line(data):
    """The gatherings are numbered in the order they were held: S2 dated before S1, or the second
    booster (X7) before the first (X6), is a data error, refused where it stands."""
    path = data / "gatherings.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    s2 = next(i for i, ln in enumerate(lines, 1) if ln.startswith("S2,"))
    x7 = next(i for i, ln in enumerate(lines, 1) if ln.startswith("X7,"))
    edit_line(path, s2, ",2011-06-01,", ",2011-04-01,")
    edit_line(path, x7, ",2012-09-12,", ",2011-09-12,")
    problems = validate(data)
    assert problems == [
        f"gatherings.csv:{s2}: kolonne 'start' verdi '2011-04-01' — før samling S1 (2011-05-01); samlingene er "
        "nummerert i den rekkefølgen de ble holdt",
        f"gatherings.csv:{x7}: kolonne 'start' verdi '2011-09-12' — før samling X6 (2012-03-01); samlingene er "
        "nummerert i den rekkefølgen de ble holdt"], problems
    # the same day for two gatherings (S4 and S5 in the report) is not out of order
    assert validate(ROOT / "data") == []


def test_a_caseworker_t2_answer_before_the_t1_answer_is_refused(data):
    import pandas as pd

    sv = pd.read_csv(data / "caseworker_survey.csv", dtype=str, keep_default_na=False)
    cw = sv.loc[sv["wave"] == "T2", "caseworker_id"].iloc[0]
    i = sv.index[(sv["caseworker_id"] == cw) & (sv["wave"] == "T2")][0]
    sv.loc[i, "response_date"] = "2011-01-02"  # before every T1 answer (all in early 2011)
    sv.to_csv(data / "caseworker_survey.csv", index=False)
    line = i + 2
    assert f"caseworker_survey.csv:{line}: kolonne 'response_date' verdi '2011-01-02' — svaret ved T2 er ikke etter" \
        in "\n".join(validate(data))


def test_svg_figures_are_byte_identical_between_builds(tmp_path):
    """No date and no random clip-path ids: the same figure saved twice gives the same bytes."""
    import matplotlib.pyplot as plt

    from analysis import registry, theme
    from analysis.build import save_figure

    theme.apply()
    study = load(ROOT / "data")
    saved = []
    for i in range(2):
        fig = registry.get("fig-nytte-samlinger").compute(study)
        save_figure(fig, tmp_path / f"{i}.svg")
        plt.close(fig)
        saved.append((tmp_path / f"{i}.svg").read_bytes())
    assert saved[0] == saved[1] and b"<dc:date>" not in saved[0]


# ---------------------------------------------------------------- the command line answers in Norwegian
@pytest.mark.parametrize("args, expect", [
    (["simulate"], "feil: disse argumentene mangler: --out"),
    (["build", "--jobs", "x"], "argument --jobs: ugyldig verdi (skal være heltall): 'x'"),
    (["nope"], "feil: argument KOMMANDO: ugyldig valg: 'nope'"),
    (["simulate", "--out", "{tmp}/s", "--offices", "7"], "simulate: --offices må være et partall"),
    (["simulate", "--out", "{tmp}/s", "--effect", "lykke=1"], "simulate: ukjent effekt: lykke"),
    (["simulate", "--out", "{tmp}/s", "--effect", "deltid"], "skal ha formen NAVN=VERDI"),
    (["simulate", "--out", "{tmp}/fil"], "simulate: {tmp}/fil er en fil, ikke en mappe"),
    (["codebook", "{tmp}/finnes-ikke"], "codebook: mappa {tmp}/finnes-ikke finnes ikke"),
    (["build", "--only", "tbl-finnes-ikke", "--out", "{tmp}/out"], "build: ukjent etikett: tbl-finnes-ikke"),
])
def test_command_line_refusals_are_norwegian(tmp_path, args, expect):
    (tmp_path / "fil").write_text("x", encoding="utf-8")
    proc = cli(*[a.format(tmp=tmp_path) for a in args])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert expect.format(tmp=tmp_path) in proc.stderr, proc.stderr
    assert not (tmp_path / "s").exists() and not (tmp_path / "out").exists()


def test_command_line_help_is_norwegian():
    proc = cli("simulate", "--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("bruk: python -m analysis simulate") and "vis denne hjelpeteksten" in proc.stdout
    assert "deltid (standard 9,4)" in proc.stdout and "usage" not in proc.stdout and "options" not in proc.stdout
