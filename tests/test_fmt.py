import math

import pytest

from analysis import fmt

NB = "\u00a0"


@pytest.mark.parametrize("x,dec,expected", [
    (2.5, 1, "2,5"), (15620, 0, f"15{NB}620"), (1234567.891, 2, f"1{NB}234{NB}567,89"), (-0.42, 2, "\u22120,42"),
    (0.0, 1, "0,0"), (-0.04, 1, "0,0"), (12.5, 0, "13"), (2.675, 2, "2,68"), (999, 0, "999"), (1000, 0, f"1{NB}000"),
])
def test_num(x, dec, expected):
    assert fmt.num(x, dec) == expected


def test_missing_and_infinite():
    assert fmt.num(None) == fmt.MISSING
    assert fmt.num(float("nan")) == fmt.MISSING
    assert fmt.num(math.inf) == "∞"


def test_pct_kr_pp():
    assert fmt.pct(19.04) == f"19,0{NB}%"
    assert fmt.pct(0.19, share=True, decimals=0) == f"19{NB}%"
    assert fmt.kr(15620) == f"15{NB}620{NB}kr"
    assert fmt.pp(9.44) == f"9,4{NB}prosentpoeng"


@pytest.mark.parametrize("p,expected", [(0.006, f"p{NB}={NB}0,006"), (0.0004, f"p{NB}<{NB}0,001"), (0.4951, f"p{NB}={NB}0,495")])
def test_pvalue(p, expected):
    assert fmt.pvalue(p) == expected


def test_pvalue_without_prefix():
    assert fmt.pvalue(0.006, prefix=False) == "0,006"
    assert fmt.pvalue(0.0001, prefix=False) == f"<{NB}0,001"


@pytest.mark.parametrize("p,stars", [(0.2, ""), (0.049, "*"), (0.0099, "**"), (0.0009, "***"), (0.05, ""), (None, "")])
def test_stars(p, stars):
    assert fmt.stars(p) == stars


def test_ci_uses_semicolon():
    assert fmt.ci(0.12, 0.456, 2) == "[0,12; 0,46]"


def test_round_half_up_matches_report_convention():
    assert fmt.round_half_up(12.5) == 13
    assert fmt.round_half_up(0.125, 2) == 0.13
    assert fmt.round_half_up(-2.5) == -3


def test_years_are_not_grouped():
    assert fmt.year(1975) == "1975"
    assert fmt.year(1975.4) == "1975"
