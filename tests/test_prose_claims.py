"""Prose that stays true on any data: every chapter's text, with its inline numbers
substituted, on simulated data sets other than the bundled one, read sentence by
sentence by a claim checker.

No Quarto and no kernel: the chapters' ``{python} R["key"]`` expressions are replaced
by ``analysis.results.compute(study)[key]`` (a key the data do not give is a failure),
code cells, YAML, shortcodes, citations and cross-references are dropped, and the
rest is split into sentences.  Each checker pattern (``PATTERNS`` in tests/prose_claims.py) finds one
kind of claim about numbers and says whether the words agree with the numbers;
the test asserts that no claim is wrong, and that every pattern checked at least
one claim on every data set (so it cannot pass by matching nothing).  Separately, no
sentence may print 0 or 1 where a word is meant («bare 0 gjelder», «1 av 5»), state a
number of offices the data do not have («ni mot ni kontor» on 12 offices), or carry a
lower-cased abbreviation.

Data sets (``DATASETS``): no effects (every effect of ``simulate --help`` set to 0), every
default effect reversed, 12 offices at scale 0,3 (scale 0,1 and 8 offices at 0,2 also run
clean), and the bundled data.  About 85 claims are checked per data set; ``-s`` prints the
counts per pattern.  The checker itself is tested on hand-written sentences that must pass
and must fail.
"""

from __future__ import annotations

import pytest

from prose_claims import (FIXED_DESIGN, INLINE, LOWER_ABBREV, PATTERNS, ROOT, check_digits, check_offices, claims,
                          number, prose_files, pvalue, sentences, substitute)


# ---------------------------------------------------------------- the checker on hand-written sentences

@pytest.mark.parametrize("sentence, pattern, ok", [
    ("I tiltakskontorene økte faglig kompetanse fra 2,5 til 3,1.", "endring fra X til Y", True),
    ("I tiltakskontorene økte faglig kompetanse fra 3,1 til 2,5.", "endring fra X til Y", False),
    ("Veiledningen sank mest: fra 1,8 til 2,5.", "endring fra X til Y", False),
    ("Veiledningen sank fra 2,5 til 1,8 poeng.", "endring fra X til Y", True),
    ("Andelen var uendret fra 15 620 til 15 621 kr.", "endring fra X til Y", False),
    ("Veiledningen økte mest: fra 1,8 til 2,5, altså 36 %.", "relativ endring Z %", True),
    ("Veiledningen økte mest: fra 1,8 til 2,5, altså 60 %.", "relativ endring Z %", False),
    ("I deltidsarbeid var 3,1 % i tiltaksgruppen mot 8,6 % i sammenligningsgruppen (p = 0,347 på individnivå), "
     "en relativ nedgang på 64 %.", "relativ endring Z %", True),
    ("I deltidsarbeid var 3,1 % i tiltaksgruppen mot 8,6 % i sammenligningsgruppen (p = 0,347 på individnivå), "
     "en relativ økning på 64 %.", "relativ endring Z %", False),
    ("andelen skjema der UTU er brukt, økte fra 48 % i juni til 72 % i desember", "endring fra X til Y", True),
    ("andelen skjema der UTU er brukt, sank fra 48 % i juni til 72 % i desember", "endring fra X til Y", False),
    ("Ved T2 svarte 67 % av veilederne i tiltaksgruppen og 72 % i sammenligningsgruppen, altså en lavere svarprosent "
     "i tiltaksgruppen.", "X og Y, altså høyere/lavere", True),
    ("Ved T2 svarte 67 % av veilederne i tiltaksgruppen og 72 % i sammenligningsgruppen, altså en høyere svarprosent "
     "i tiltaksgruppen.", "X og Y, altså høyere/lavere", False),
    ("tiltakskontorene rekrutterte en høyere andel innvandrere (56 % mot 32 %)", "sammenligning X mot Y", True),
    ("tiltakskontorene rekrutterte en lavere andel innvandrere (56 % mot 32 %)", "sammenligning X mot Y", False),
    ("med færre unge (15 % mot 25 %), flere kvinner (43 % mot 52 %)", "sammenligning X mot Y", False),
    ("høyere i tiltaksgruppen, 12,5 mot 8,6 %.", "sammenligning X mot Y", True),
    ("forskjellen var lavere, −0,3 mot −0,1 prosent", "sammenligning X mot Y", True),
    ("andelen var høyere i tiltaksgruppen (22,0 %) enn i sammenligningsgruppen (11,7 %).", "sammenligning (X) enn (Y)", True),
    ("andelen var lavere i tiltaksgruppen (22,0 %) enn i sammenligningsgruppen (11,7 %).", "sammenligning (X) enn (Y)", False),
    ("forskjellen er ikke signifikant (p = 0,299).", "signifikant ved p", True),
    ("forskjellen er signifikant (p = 0,299).", "signifikant ved p", False),
    ("ingen signifikant forskjell (p < 0,001 med khikvadrattest)", "signifikant ved p", False),
    ("signifikant på individnivå, p = 0,014, og signifikant når kontorene er enheten, p = 0,050", "signifikant ved p", False),
    ("Med denne metoden er effekten signifikant for fire av 6 skalaene.", "k av n", True),
    ("Med denne metoden er effekten signifikant for 6 av 6 skalaene.", "k av n", False),
    ("Det gjelder sju av 6 skalaer.", "k av n", False),
    ("Det gjelder begge de 3 skalaene.", "k av n", False),
    ("Påstandene lå mellom 2,1 og 3,1.", "mellom X og Y / [a; b]", True),
    ("Påstandene lå mellom 3,1 og 2,1.", "mellom X og Y / [a; b]", False),
    ("AAR-intervallet [5,6; −16,5] på individnivå", "mellom X og Y / [a; b]", False),
    ("De fleste syntes veiledningen var nyttig: 42 % svarte i noen eller stor grad.", "kvantor (de fleste, alle …) X %", False),
    ("De fleste syntes veiledningen var nyttig: 92 % svarte i noen eller stor grad.", "kvantor (de fleste, alle …) X %", True),
    ("De fleste syntes veiledningen var nyttig: 100 % svarte i noen eller stor grad.", "kvantor (de fleste, alle …) X %", False),
    ("Alle syntes veiledningen var nyttig: 100 % svarte i noen eller stor grad.", "kvantor (de fleste, alle …) X %", True),
    ("Få syntes veiledningen var nyttig: 30 % svarte i noen eller stor grad.", "kvantor (de fleste, alle …) X %", False),
    ("Forskjellen er 5,4 prosentpoeng, som gir NNT = 18,52, rundet opp til 19.", "NNT fra D prosentpoeng", True),
    ("Forskjellen er −5,4 prosentpoeng, som gir NNT = −18,52, rundet opp til −18.", "NNT fra D prosentpoeng", False),
    ("blir forskjellen −5,4\u00a0prosentpoeng og NNT ∞;", "NNT fra D prosentpoeng", False),
    ("Forskjellen er −5,4 prosentpoeng; 100 delt på forskjellen gir NNTH = 18,52.", "NNT fra D prosentpoeng", True),
    ("med bokens forskjell på 3,93 prosentpoeng blir den samme utregningen 26.", "NNT fra D prosentpoeng", True),
    ("med bokens forskjell på 0,22 prosentpoeng blir den samme utregningen 451.", "NNT fra D prosentpoeng", True),
    ("med bokens forskjell på 0,22 prosentpoeng blir den samme utregningen 400.", "NNT fra D prosentpoeng", False),
    ("Når intervallet for AAR omfatter null, som for heltidsarbeid ([−10,8; 18,7]), finnes det ikke", "omfatter null [a; b]", True),
    ("Når intervallet for AAR omfatter null, som for heltidsarbeid ([1,8; 18,7]), finnes det ikke", "omfatter null [a; b]", False),
    ("Når intervallet for AAR omfatter null, noe intervallet for heltidsarbeid ikke gjør ([1,8; 18,7])", "omfatter null [a; b]", True),
    ("intervallet for NNT [11,8; ∞] / NNTH ≥ 5: intervallet for forskjellen omfatter null", "omfatter null [a; b]", True),
    ("intervallet for NNT [−11,8; −3,2]: intervallet for forskjellen omfatter null", "omfatter null [a; b]", False),
    ("Intervallet går derfor fra den minste NNT for nytte, gjennom uendelig (∞), over i skade: for heltidsarbeid "
     "[−48,5; −5,8].", "omfatter null [a; b]", False),
    ("Intervallet går derfor fra den minste NNT for nytte, gjennom uendelig (∞), over i skade: for heltidsarbeid "
     "[5,4; ∞] / NNTH ≥ 9.", "omfatter null [a; b]", True),
    ("Derfor summerer kolonnene seg til mer enn 100 (121,0 og 118,6).", "mer/mindre enn N (X og Y)", True),
    ("For relasjonell allianse betyr metoden lite for p-verdien: p = 0,477 på individnivå, p = 0,488 med CR2 og "
     "p < 0,001 med randomiseringsinferens.", "metoden betyr lite / kan bety", False),
    ("For relasjonell allianse betyr metoden lite for p-verdien: p = 0,477 på individnivå, p = 0,488 med CR2 og "
     "p = 0,301 med randomiseringsinferens.", "metoden betyr lite / kan bety", True),
    ("Relasjonell allianse viser hvor mye metoden kan bety: p = 0,004 på individnivå, p = 0,020 med CR2 og "
     "p = 0,061 med randomiseringsinferens.", "metoden betyr lite / kan bety", True),
    ("Derfor summerer kolonnene seg til mer enn 100 (91,0 og 118,6).", "mer/mindre enn N (X og Y)", False),
    ("seg til mer enn 100 i tiltaksgruppen (101,0) og mindre enn 100 i sammenligningsgruppen (98,6).",
     "mer/mindre enn N (X og Y)", True),
    ("seg til mer enn 100 i tiltaksgruppen (101,0) og mindre enn 100 i sammenligningsgruppen (108,6).",
     "mer/mindre enn N (X og Y)", False),
])
def test_checker_on_hand_written_sentences(sentence, pattern, ok):
    found = claims(sentence)[pattern]
    assert found, f"{pattern!r} found no claim in {sentence!r}"
    assert all(c[1] for c in found) is ok, found


@pytest.mark.parametrize("sentence", [
    "Fra tiltakskontorene kommer 93 utdrag og fra sammenligningskontorene elleve utdrag.",
    "Ved T1 lå påstandsgjennomsnittene på 2,1.",
    "Andelen i deltidsarbeid var 3,1 % i tiltaksgruppen mot 8,6 % i sammenligningsgruppen.",  # no word: no claim
    "Rapporten fant en signifikant forskjell; i dataene er p = 0,299.",  # the report's word, another clause
])
def test_checker_finds_no_claim_where_there_is_none(sentence):
    assert not any(claims(sentence).values()), claims(sentence)


@pytest.mark.parametrize("sentence, bad", [
    ("Flest gjelder trinnet «kyndig utøver», mens bare 0 gjelder eksperttrinnet.", True),
    ("For deltakerne er det tilsvarende tallet 1 av 1 effekter.", True),
    ("Med CR2 er 1 signifikante (faglig kompetanse).", True),
    ("XREF viser de kontorene som kan vises (1 av 5).", True),
    ("På nivå 1 veileder en HPMT-veileder KVP-veilederne.", False),
    ("en skala fra 0 til 4, og 1 672 FE-skjema", False),
    ("Mellom 0,1 og 1,0 av skalaene", False),
])
def test_digits_where_words_are_meant(sentence, bad):
    assert bool(check_digits(sentence)) is bad


def test_numbers_and_sentences():
    assert number("15\u00a0620 kr") == 15620 and number("−0,3") == -0.3 and number("2,5 %") == 2.5
    assert number("∞") == float("inf") and pvalue("p\u00a0<\u00a00,001") < 0.001 and pvalue("p = 0,05") == 0.05
    text = ('---\ntitle: x\n---\n# Tittel {#sec-x}\n\n```{python}\n#| label: a\nR["k"]\n```\n\n'
            'Det økte fra `{python} R["a"]` til `{python} R["b"]` [@rapport2014], m.m. og mer. Neste setning '
            'står i @tbl-x. 13. september kom.\n{{< include /_setup.qmd >}}\n')
    got = sentences(substitute(text, {"a": "2,5", "b": "3,1"}))
    assert got == ["Tittel", "Det økte fra 2,5 til 3,1, m.m. og mer.", "Neste setning står i XREF.",
                   "13. september kom."]
    with pytest.raises(KeyError, match="nokkel"):
        substitute('`{python} R["nokkel"]`', {})


# ---------------------------------------------------------------- the book on three simulated data sets

def _effects(sign: float) -> list[str]:
    from analysis.synth.simulate import EFFECTS

    return [a for k, v in EFFECTS.items() for a in ("--effect", f"{k}={sign * v:g}")]


#: name -> arguments of ``python -m analysis simulate`` (besides --out); None: the bundled data/
DATASETS = {
    "ingen effekter": lambda: _effects(0.0),
    "motsatte effekter": lambda: _effects(-1.0),
    "12 kontor, få deltakere": lambda: ["--offices", "12", "--scale", "0.3"],
    "medfølgende data": None,
}


def test_office_counts():
    assert check_offices("en t-test av ni mot ni kontor", 9, 18) == [("ni mot ni kontor", True)]
    assert check_offices("en t-test av ni mot ni kontor", 6, 12) == [("ni mot ni kontor", False)]
    assert check_offices("Med bare seks kontor i hver gruppe kan", 6, 12)[0][1]
    assert not check_offices("alle 924 måter ni av kontorene kunne vært trukket ut på", 6, 12)[0][1]
    assert not check_offices("og det var bare atten av dem", 6, 12)[0][1]
    assert check_offices("Med bare 12 kontor er intervallene brede", 6, 12)[0][1]


@pytest.fixture(scope="session")
def books(tmp_path_factory):
    """Each data set's sentences, by file, with every inline number substituted, and its offices
    (per arm, in all)."""
    import subprocess
    import sys

    from analysis import results, theme
    from analysis.data import load

    theme.apply()
    out = {}
    for name, args in DATASETS.items():
        if args is None:
            folder = ROOT / "data"
        else:
            folder = tmp_path_factory.mktemp("prose") / "data"
            subprocess.run([sys.executable, "-m", "analysis", "simulate", "--out", str(folder), *args()],
                           cwd=ROOT, check=True, capture_output=True)
        R = results.compute(load(folder))
        missing, book = [], {}
        for path in prose_files():
            text = path.read_text(encoding="utf-8")
            missing += [f"{path.name}: {k}" for k in INLINE.findall(text) if k not in R]
            if not missing:
                book[path.relative_to(ROOT).as_posix()] = sentences(substitute(text, R))
        out[name] = (book, missing, (R.value("n_kontor_tiltak"), R.value("n_kontor")))
    return out


@pytest.mark.parametrize("name", DATASETS)
def test_every_claim_agrees_with_its_numbers(books, name):
    book, missing, (per_arm, total) = books[name]
    assert not missing, f"{name}: inline numbers the data do not give: {missing}"
    counts, wrong = {p: 0 for p in [*PATTERNS, "kontor i ord"]}, []
    for path, sents in book.items():
        for s in sents:
            found_here = {**claims(s), "kontor i ord": [] if path in FIXED_DESIGN else check_offices(s, per_arm, total)}
            for pattern, found in found_here.items():
                counts[pattern] += len(found)
                wrong += [f"{path} [{pattern}] «{c}» in: {s}" for c, ok in found if not ok]
    print(f"\n{name}: claims checked per pattern: {counts} (total {sum(counts.values())})")
    assert not wrong, f"{name}: {len(wrong)} claim(s) contradict their numbers:\n" + "\n".join(wrong)
    assert all(counts.values()), f"{name}: a pattern checked nothing: {counts}"


@pytest.mark.parametrize("name", DATASETS)
def test_no_digit_where_words_are_meant(books, name):
    book, missing, _ = books[name]
    assert not missing
    bad = [f"{path} «{c}» in: {s}" for path, sents in book.items() for s in sents for c, _ in check_digits(s)]
    assert not bad, f"{name}: a count printed as 0 or 1 where the text needs a word:\n" + "\n".join(bad)


@pytest.mark.parametrize("name", DATASETS)
def test_no_lower_cased_abbreviation(books, name):
    book, missing, _ = books[name]
    assert not missing
    bad = [f"{path} «{m.group(0)}» in: {s}" for path, sents in book.items() for s in sents for m in LOWER_ABBREV.finditer(s)]
    assert not bad, f"{name}:\n" + "\n".join(bad)
