"""The claim checker of ``tests/test_prose_claims.py``: the book's prose as sentences with the
inline numbers substituted, Norwegian numbers as printed, and one documented pattern per kind
of claim about numbers (see ``PATTERNS``)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- the text of the book

INLINE = re.compile(r'`\{python\} R\["([^"]+)"\]`')
FENCE = re.compile(r"^```.*?^```[ \t]*$", re.S | re.M)


def prose_files() -> list[Path]:
    """index.qmd and every chapter and appendix, in book order."""
    import yaml

    book = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    return [ROOT / p for p in book["chapters"] + book.get("appendices", [])]


def substitute(text: str, R) -> str:
    """The chapter's Markdown with every inline number replaced by its text; a key
    the results do not have raises ``KeyError`` naming it."""
    def sub(m):
        key = m.group(1)
        if key not in R:
            raise KeyError(f"no inline number {key!r}")
        return str(R[key])

    return INLINE.sub(sub, text)


def plain(markdown: str) -> str:
    """Markdown to plain running text: no YAML, code, shortcodes, divs, tables,
    citations, cross-references, emphasis or heading attributes."""
    t = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    t = FENCE.sub("\n\n", t)
    t = re.sub(r"\{\{<.*?>\}\}", "", t)
    t = re.sub(r"<!--.*?-->", "", t, flags=re.S)
    t = re.sub(r"^:::.*$", "", t, flags=re.M)
    t = re.sub(r"^\|.*$", "", t, flags=re.M)  # Markdown tables
    t = re.sub(r"\s*\{[#.][^}]*\}", "", t)  # {#sec-x}, {.unnumbered}
    t = re.sub(r"\s*\[(?:-?@[\w:-]+(?:, [^\];]*)?;?\s*)+\]", "", t)  # [@a; @b, s. 3]
    t = re.sub(r"(?<![\w/])@((?:tbl|fig|sec)-[\w-]+)", "XREF", t)
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)  # links
    t = re.sub(r"(\*\*|\*|__)(.+?)\1", r"\2", t)
    t = t.replace("\\", "")
    return t


#: abbreviations whose point does not end a sentence
ABBREV = ("m.m.", "f.eks.", "bl.a.", "dvs.", "ca.", "jf.", "nr.", "s.", "mfl.", "o.l.", "evt.", "pr.", "kap.", "tab.",
          "fig.", "vs.", "e.l.", "osv.", "mv.")


def sentences(markdown: str) -> list[str]:
    """The prose as sentences: paragraphs (and headings, bullet items) split at ``. ``,
    ``? `` or ``! `` before an upper-case letter, a digit, a quote or a dash."""
    out = []
    for block in re.split(r"\n\s*\n|\n(?=#)|\n(?=\s*[-*] )", plain(markdown)):
        block = re.sub(r"^#+\s*", "", block.strip())
        block = re.sub(r"^[-*]\s+", "", block)
        block = " ".join(block.split())
        if not block:
            continue
        protected = block
        for i, a in enumerate(ABBREV):
            protected = re.sub(rf"(?<![\wæøå]){re.escape(a)}", f"\u0001{i}\u0002", protected)
        for part in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9«\"(\u2212–-])", protected):
            part = re.sub(r"\u0001(\d+)\u0002", lambda m: ABBREV[int(m.group(1))], part).strip()
            if part:
                out.append(part)
    return out


# ---------------------------------------------------------------- numbers as printed

#: a Norwegian number as fmt.py prints it: true minus or hyphen, groups of three after a
#: (no-break) space, decimal comma; ∞ for an unbounded NNT
NUM = r"(?:[−-]?\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?(?!\d)|[−-]?\d+(?:,\d+)?|[−-]?∞)"
NUM_RE = re.compile(NUM)


def number(text: str) -> float:
    """``'15 620'`` -> 15620.0, ``'−0,3'`` -> -0.3, ``'2,5 %'`` -> 2.5, ``'∞'`` -> inf."""
    m = NUM_RE.search(text)
    if m is None:
        raise ValueError(f"no number in {text!r}")
    t = m.group(0).replace("−", "-").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if t.lstrip("-") == "∞":
        return float("-inf") if t.startswith("-") else float("inf")
    return float(t.replace(",", "."))


def pvalue(text: str) -> float:
    """``'p = 0,089'`` -> 0.089; ``'p < 0,001'`` -> 0.0005 (below the printed bound)."""
    m = re.match(r"p\s*([=<])\s*(" + NUM + ")", text)
    value = number(m.group(2))
    return value / 2 if m.group(1) == "<" else value


# ---------------------------------------------------------------- the claim checker
#
# Each pattern is a function ``sentence -> [(claim text, ok)]``.  A claim is a place where
# a word states a direction or a comparison and the numbers it is about stand next to it
# in the same sentence; the check compares the word with the numbers as printed.  Numbers
# that print the same (2,5 and 2,5) agree with any direction: the word comes from the raw
# values (analysis/words.py) and the reader cannot tell them apart.

UP = r"økte|steg|gikk opp|øker|stiger"
DOWN = r"sank|falt|gikk ned|minket|synker|faller"
SAME = r"var uendret|er uendret|holdt seg"
#: «økte … fra X til Y», «økte mest: fra X til Y» (the verb first, at most 80 characters of the
#: same clause before «fra»)
CHANGE = re.compile(rf"\b(?P<verb>{UP}|{DOWN}|{SAME})\b(?P<mid>[^;.]{{0,80}}?)\bfra (?P<a>{NUM})(?: %| kr)?"
                    rf"(?: [^\d;.]{{1,25}}?)? til (?P<b>{NUM})")  # «fra 48 % i juni til 72 %»

MORE = r"høyere|flere|større|mer|bredere|sterkere|oftere"
LESS = r"lavere|færre|mindre|smalere|svakere|sjeldnere"
COMPARATIVE = re.compile(rf"\b(?P<word>{MORE}|{LESS}|like høy|like mange|like stor)\b")
#: «X mot Y» (X % mot Y %, X mot Y %, X mot Y prosent, X kr mot Y kr)
VERSUS = re.compile(rf"(?<![\d,])(?P<a>{NUM})(?:\u00a0| )?(?:%|kr|prosent)? mot (?P<b>{NUM})(?![\d,])")
#: «høyere … (X) enn … (Y)»: two numbers in brackets around «enn», the comparative before them
THAN = re.compile(rf"\b(?P<word>{MORE}|{LESS})\b(?! enn)[^;:()]{{0,80}}\((?P<a>{NUM})[^()]*\)[^;:()]{{0,40}}?\benn\b[^;:()]{{0,60}}?\((?P<b>{NUM})[^()]*\)")

SIGNIFICANT = re.compile(r"\b(?P<neg>ikke |ingen |uten )?signifikant\w*")
P_VALUE = re.compile(rf"p\s*[=<]\s*{NUM}")

#: «ni mot ni kontor», «seks kontor i hver gruppe», «ni av kontorene kunne vært trukket», «bare atten
#: av dem» / «bare 18 kontor»: the number of offices per arm and in all, which the text must take from
#: the data (a book on 12 offices must not say nine).  Not in the appendix on method validation,
#: whose simulation study is of the original design with 18 offices, whatever the data.
FIXED_DESIGN = ("chapters/vedlegg-metodevalidering.qmd",)
NUMBER_WORDS = {"tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16, "sytten": 17, "atten": 18, "nitten": 19,
                "tjue": 20}
OFFICE_COUNT = r"\d+|to|tre|fire|fem|seks|sju|åtte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten|sytten|atten|nitten|tjue"
OFFICES = re.compile(rf"\b(?:(?P<a>{OFFICE_COUNT}) mot (?P<b>{OFFICE_COUNT}) kontor|(?P<arm>{OFFICE_COUNT}) kontor i hver gruppe|"
                     rf"(?P<drawn>{OFFICE_COUNT}) av kontorene kunne|bare (?P<all>{OFFICE_COUNT}) (?:av dem|kontor\b(?! i hver)))")


def check_offices(s: str, per_arm: int, total: int):
    def v(w):
        return int(w) if w.isdigit() else {**WORDS, **NUMBER_WORDS}[w]

    out = []
    for m in OFFICES.finditer(s):
        if m["a"]:
            ok = v(m["a"]) == v(m["b"]) == per_arm
        elif m["arm"] or m["drawn"]:
            ok = v(m["arm"] or m["drawn"]) == per_arm
        else:
            ok = v(m["all"]) == total
        out.append((m.group(0), ok))
    return out


#: «k av n»: a part in words or digits, the whole in digits («fire av 9», «alle de 9»)
WORDS = {"null": 0, "ingen": 0, "én": 1, "ett": 1, "en": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
         "sju": 7, "åtte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12}
COUNT = r"\d+|null|ingen|én|ett|to|tre|fire|fem|seks|sju|åtte|ni|ti|elleve|tolv"
PART_OF = re.compile(rf"(?<![\w,−-])(?:(?P<k>(?i:{COUNT}|alle|begge)) av (?:de )?|(?P<all>[Aa]lle|[Bb]egge) de )(?P<n>{COUNT})\b(?! %)")
#: «mellom X og Y» (a range: X ≤ Y); «[lo; hi]» (an interval: lo ≤ hi)
BETWEEN = re.compile(rf"\bmellom (?P<a>{NUM})(?: %| kr)?(?: \([^()]*\))? og (?P<b>{NUM})")
INTERVAL = re.compile(rf"\[(?P<a>{NUM}); (?P<b>{NUM})\]")
#: a quantifier and the share it stands for, later in the clause: «de fleste … X %» (50 < X < 100),
#: «under halvparten … X %» (X < 50) anywhere; at the start of a sentence also «Alle» (100),
#: «Ingen» (0), «Få» (under 20) and «Halvparten» (50), as analysis/words.py:quantity writes them
MOST = re.compile(rf"(?:\b(?P<word>[Dd]e fleste|[Uu]nder halvparten)\b|^(?P<start>Alle|Ingen|Få|Halvparten) )"
                  rf"[^.;,]{{0,80}}?(?P<a>{NUM}) %")
QUANTITY = {"de fleste": lambda x: 50 < x < 100, "under halvparten": lambda x: x < 50, "alle": lambda x: x == 100,
            "ingen": lambda x: x == 0, "få": lambda x: 0 < x < 20, "halvparten": lambda x: x == 50}


def _dir(word: str) -> int:
    return 1 if re.fullmatch(MORE + "|" + UP, word) else -1 if re.fullmatch(LESS + "|" + DOWN, word) else 0


def _agrees(direction: int, a: float, b: float) -> bool:
    if a == b:
        return True  # printed alike: no visible direction to contradict
    return direction == (1 if b > a else -1)


def check_change(s):
    out = []
    for m in CHANGE.finditer(s):
        a, b = number(m["a"]), number(m["b"])
        d = _dir(m["verb"])
        out.append((m.group(0), a == b if d == 0 else _agrees(d, a, b)))
    return out


def check_versus(s):
    """«høyere … (X mot Y)»: the nearest comparative before the pair, in the same clause
    and after the previous pair, says how X (the subject's number) stands to Y."""
    out, start = [], 0
    for m in VERSUS.finditer(s):
        clause = re.split(r"[;:.]\s|\)\s*,\s*og\s", s[start:m.start()])[-1]
        words = list(COMPARATIVE.finditer(clause))
        start = m.end()
        if not words:
            continue
        w = words[-1]["word"]
        a, b = number(m["a"]), number(m["b"])
        ok = a == b if w.startswith("like") else _agrees(_dir(w), b, a)
        out.append((f"{w} … {m.group(0)}", ok))
    return out


#: «X % i A og Y % i B, altså en lavere svarprosent i A»: the comparative after «altså» is X against Y
SO = re.compile(rf"(?<![\d,])(?P<a>{NUM}) %[^;.]{{0,60}}? og (?P<b>{NUM}) %[^;.]{{0,40}}?, altså (?:en |et )?(?P<word>{MORE}|{LESS})\b")


def check_so(s):
    return [(m.group(0), _agrees(_dir(m["word"]), number(m["b"]), number(m["a"]))) for m in SO.finditer(s)]


def _bounds(text: str) -> tuple[float, float]:
    """The interval a printed number stands for: ``'2,5'`` -> (2,45; 2,55)."""
    v, dec = number(text), len(text.partition(",")[2].split()[0]) if "," in text else 0
    h = 0.5 * 10 ** -dec
    return v - h, v + h


def _relative_range(a: str, b: str) -> tuple[float, float]:
    """The range of 100 · (b / a − 1) over the values the printed a and b stand for."""
    (a0, a1), (b0, b1) = _bounds(a), _bounds(b)
    vals = [100 * (y / x - 1) for x in (a0, a1) for y in (b0, b1) if x > 0]
    return (min(vals), max(vals)) if vals else (float("-inf"), float("inf"))


#: a relative change with the two numbers it comes from: «fra 1,8 til 2,5, altså 36 %» and
#: «3,1 % i tiltaksgruppen mot 8,6 % i sammenligningsgruppen (…), en relativ nedgang på 64 %»
RELATIVE = re.compile(rf"\bfra (?P<a>{NUM}) til (?P<b>{NUM}), altså (?P<z>{NUM}) %|"
                      rf"(?P<b2>{NUM}) % [^;.]{{0,40}}?mot (?P<a2>{NUM}) %[^;.]{{0,80}}?, en relativ (?P<dir>økning|nedgang|endring) på (?P<z2>{NUM}) %")


def check_relative(s):
    out = []
    for m in RELATIVE.finditer(s):
        if m["a"]:
            lo, hi = _relative_range(m["a"], m["b"])
            z = number(m["z"])
            ok = lo - 0.5 <= z <= hi + 0.5 or lo - 0.5 <= -z <= hi + 0.5  # printed as a size, without sign
        else:
            lo, hi = _relative_range(m["a2"], m["b2"])
            z = number(m["z2"])
            sign = {"økning": 1, "nedgang": -1, "endring": 0}[m["dir"]]
            ok = (lo - 0.5 <= sign * z <= hi + 0.5) if sign else (lo - 0.5 <= 0 <= hi + 0.5)
        out.append((m.group(0), ok))
    return out


def check_than(s):
    out = []
    for m in THAN.finditer(s):
        a, b = number(m["a"]), number(m["b"])
        out.append((m.group(0), _agrees(_dir(m["word"]), b, a)))
    return out


def check_significance(s):
    """«signifikant» / «ikke signifikant» and the first p-value after it in the same clause
    (before the next «signifikant»): significant iff p < 0,05."""
    out = []
    hits = list(SIGNIFICANT.finditer(s))
    for i, m in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(s)
        clause = re.split(r"[;.]\s|\.$", s[m.end():end])[0]
        p = P_VALUE.search(clause)
        if p is None or p.start() > 80:
            continue
        says = m["neg"] is None
        out.append((s[m.start():m.end() + p.end()], says == (pvalue(p.group(0)) < 0.05)))
    return out


def _count(word: str) -> int:
    return int(word) if word.isdigit() else WORDS[word]


def check_part_of(s):
    """«k av n» with k ≤ n; «alle de n» / «begge» only where they stand for the whole, and a
    part written as a number never equal to the whole (that reads «alle»)."""
    out = []
    for m in PART_OF.finditer(s):
        n, k = _count(m["n"]), (m["k"] or m["all"]).lower()
        if k in ("alle", "begge"):
            ok = k == "alle" or n == 2
        else:
            k = _count(k)
            ok = k < n or (k == n == 1)
        out.append((m.group(0), ok))
    return out


def check_range(s):
    out = [(m.group(0), number(m["a"]) <= number(m["b"])) for m in BETWEEN.finditer(s)]
    out += [(m.group(0), number(m["a"]) <= number(m["b"])) for m in INTERVAL.finditer(s)]
    return out


def check_most(s):
    out = []
    for m in MOST.finditer(s):
        w, x = (m["word"] or m["start"]).lower(), number(m["a"])
        ok = QUANTITY[w](x)  # all of them is «alle», not «de fleste»
        out.append((m.group(0), ok))
    return out


#: «NNT = N», «NNTH = N», «utregningen N» after «D prosentpoeng» in the same sentence: an NNT is
#: 100 / D (rounded up or to two decimals) and exists only for D > 0; an NNTH only for D < 0
NNT = re.compile(rf"\b(?P<kind>NNTH|NNT|utregningen)(?: =)? (?P<n>{NUM})")
PP = re.compile(rf"(?P<d>{NUM})[\u00a0 ]prosentpoeng")


def check_nnt(s):
    out = []
    for m in NNT.finditer(s):
        ds = [d for d in PP.finditer(s[:m.start()])]
        if not ds:
            continue
        d, v = number(ds[-1]["d"]), number(m["n"])
        # D is printed rounded: 100 / D may be anything between 100 / (|D| ± half a unit), plus one for rounding up
        dec = len(ds[-1]["d"].partition(",")[2])
        lo, hi = abs(d) - 0.5 * 10 ** -dec, abs(d) + 0.5 * 10 ** -dec
        near = lo > 0 and 100 / hi - 1e-9 <= v <= 100 / lo + 1
        ok = (d < 0 and near) if m["kind"] == "NNTH" else (d > 0 and v > 0 and near)
        out.append((f"{ds[-1].group(0)} … {m.group(0)}", ok))
    return out


#: «omfatter null» or «gjennom uendelig (∞)» (or, negated, «omfatter ikke null», «… ikke gjør») and the nearest interval
#: [a; b] in the sentence: it spans zero when a ≤ 0 ≤ b, or, as an NNT interval, when b = ∞
SPANS = re.compile(r"(?:omfatter (?P<neg>ikke )?null(?P<tail>[^()\[]{0,40}?\bikke gjør)?|gjennom uendelig \(∞\))")


def check_spans_zero(s):
    out = []
    ivs = list(INTERVAL.finditer(s))
    for m in SPANS.finditer(s):
        if not ivs:
            continue
        iv = min(ivs, key=lambda i: min(abs(i.start() - m.end()), abs(m.start() - i.end())))
        a, b = number(iv["a"]), number(iv["b"])
        says = not (m["neg"] or m["tail"])
        out.append((f"{m.group(0)} … {iv.group(0)}", says == (a <= 0 <= b or b == float("inf"))))
    return out


#: «mer enn 100 (X og Y)», «mindre enn 100 i sammenligningsgruppen (X)»: the numbers in the
#: bracket on the stated side of the bound
BOUND = re.compile(rf"\b(?P<word>mer|mindre|høyere|lavere|flere|færre) enn (?P<t>{NUM})(?: i [\wæøå]+)? "
                   rf"\((?P<a>{NUM})(?: %)?(?: og (?P<b>{NUM}))?")


def check_bound(s):
    out = []
    for m in BOUND.finditer(s):
        t, a = number(m["t"]), number(m["a"])
        b = number(m["b"]) if m["b"] else a
        up = _dir(m["word"]) > 0
        out.append((m.group(0), (min(a, b) > t) if up else (max(a, b) < t)))
    return out


#: «betyr metoden lite for p-verdien: p = a …, p = b … og p = c …» says the p-values agree (within a
#: factor 5, all on one side of 0,05); «viser hvor mye metoden kan bety: …» says they do not
METHOD = re.compile(r"betyr metoden lite|viser hvor mye metoden kan bety")


def check_method_matters(s):
    out = []
    for m in METHOD.finditer(s):
        ps = [pvalue(p.group(0)) for p in P_VALUE.finditer(s[m.end():])]
        if len(ps) < 2:
            continue
        agree = max(ps) / min(ps) < 5 and len({p < 0.05 for p in ps}) == 1
        out.append((m.group(0) + ": " + ", ".join(f"{p:g}" for p in ps), agree == ("lite" in m.group(0))))
    return out


#: a count printed as a digit where running text writes a word («1 av 5», «bare 0 gjelder»,
#: «er 1 signifikante»): 0 and 1 before a counted noun, «av», a verb or a bracketed list
DIGIT_WORDS = re.compile(
    r"(?<![\w,.\-−–/])[01] (?:kontor\w*|veileder\w*|deltaker\w*|skala\w*|effekt\w*|utdrag\w*|av|koder?|kilder?|"
    r"informant\w*|tema\w*|påstand\w*|samling\w*|store|små|gjelder|er|var|signifikant\w*|holder|\((?!p\b)[^)0-9])")


#: a digit that is a name, not a count: «nivå 1», «samling 1», «kapittel 1», «vedlegg 1»
NAMED = re.compile(r"(?:nivå|samling|samlingene|kapittel|tabell|figur|vedlegg|trinn|kontor|T) $")


def check_digits(s):
    return [(m.group(0), False) for m in DIGIT_WORDS.finditer(s) if not NAMED.search(s[max(0, m.start() - 12):m.start()])]


#: name -> checker; the test asserts that each checks at least one claim on every data set
PATTERNS = {
    "endring fra X til Y": check_change,
    "sammenligning X mot Y": check_versus,
    "sammenligning (X) enn (Y)": check_than,
    "X og Y, altså høyere/lavere": check_so,
    "relativ endring Z %": check_relative,
    "signifikant ved p": check_significance,
    "k av n": check_part_of,
    "mellom X og Y / [a; b]": check_range,
    "kvantor (de fleste, alle …) X %": check_most,
    "NNT fra D prosentpoeng": check_nnt,
    "omfatter null [a; b]": check_spans_zero,
    "mer/mindre enn N (X og Y)": check_bound,
    "metoden betyr lite / kan bety": check_method_matters,
}


def claims(sentence: str) -> dict[str, list[tuple[str, bool]]]:
    """Every claim each pattern finds in one sentence, with whether it agrees with its numbers."""
    return {name: check(sentence) for name, check in PATTERNS.items()}


#: abbreviations the book writes in capitals; a lower-cased one is a label put through ``str.lower``
#: («høyest for kvp eller andre kval.tiltak (t2)»)
LOWER_ABBREV = re.compile(r"\b(?:kvp|nav|cr2|t1|t2|hpmt|utu|nnt|nnth|icc|ancova)\b")
