"""Command line: ``python -m analysis {build,validate,simulate,codebook}`` (alias: ``hpmt``)."""

from __future__ import annotations

import os

import argparse
import signal
import sys
import time
from pathlib import Path

from .config import BUNDLED_DATA, PROJECT_ROOT

#: argparse's own texts (usage, errors, help headings) in Norwegian; swapped in while main() runs
_ARGPARSE_NB = {
    "usage: ": "bruk: ",
    "positional arguments": "posisjonsargumenter",
    "options": "valg",
    "show this help message and exit": "vis denne hjelpeteksten og avslutt",
    "%(prog)s: error: %(message)s\n": "%(prog)s: feil: %(message)s\n",
    "the following arguments are required: %s": "disse argumentene mangler: %s",
    "unrecognized arguments: %s": "ukjente argumenter: %s",
    "invalid %(type)s value: %(value)r": "ugyldig verdi (skal være %(type)s): %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "ugyldig valg: %(value)r (velg blant %(choices)s)",
    "expected one argument": "trenger ett argument",
    "expected at most one argument": "tar høyst ett argument",
    "expected at least one argument": "trenger minst ett argument",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig valg: %(option)s kan bety %(matches)s",
    "not allowed with argument %s": "kan ikke brukes sammen med argumentet %s",
    "one of the arguments %s is required": "ett av argumentene %s er påkrevd",
    "ignored explicit argument %r": "argumentet %r brukes ikke",
    "can't open '%(filename)s': %(error)s": "kan ikke åpne '%(filename)s': %(error)s",
}


def _nb(text: str) -> str:
    return _ARGPARSE_NB.get(text, text)


def _nb_plural(singular: str, plural: str, n) -> str:
    if singular == "expected %s argument":
        return "trenger %s argument"
    return singular if n == 1 else plural


def heltall(text: str) -> int:
    """An integer option (the name is what argparse shows in «skal være heltall»)."""
    return int(text)


def tall(text: str) -> float:
    """A number option; a decimal comma is accepted (0,5)."""
    return float(text.replace(",", "."))


def _kv(text: str) -> tuple[str, float]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"skal ha formen NAVN=VERDI, men er {text!r}")
    k, v = text.split("=", 1)
    try:
        return k.strip(), tall(v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"verdien av {k!r} er ikke et tall: {v!r}") from None


def seconds(dt: float) -> str:
    """A duration as the command line prints it: «0,13 s»."""
    from .fmt import num

    return f"{num(dt, 2)} s"


def cmd_validate(args) -> int:
    from .config import data_dir
    from .data import count_problems, validate

    folder = data_dir(args.dir)
    t0 = time.perf_counter()
    problems = validate(folder)
    dt = time.perf_counter() - t0
    for line in problems:
        print(line)
    if problems:
        print(f"{folder}: {count_problems(len(problems))} ({seconds(dt)})", file=sys.stderr)
        return 1
    print(f"{folder}: gyldige data ({seconds(dt)})")
    return 0


def cmd_simulate(args) -> int:
    from .synth.simulate import Params, simulate, write_package
    from .codebook import write_readme

    try:
        params = Params(seed=args.seed, offices=args.offices, scale=args.scale,
                        effects=dict(args.effect or []), icc=dict(args.icc or []), mode=args.mode)
    except ValueError as err:
        print(f"simulate: {err}", file=sys.stderr)
        return 2
    if Path(args.out).exists() and not Path(args.out).is_dir():
        print(f"simulate: {args.out} er en fil, ikke en mappe; velg en annen --out", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    frames = simulate(params)
    try:
        out = write_package(frames, args.out, params)
        write_readme(out)
    except OSError as err:
        print(f"simulate: kan ikke skrive datapakken til {args.out} ({err.strerror or err})", file=sys.stderr)
        return 2
    dt = time.perf_counter() - t0
    from .fmt import integer

    rows = sum(len(f) for f in frames.values())
    mode = {"calibrated": "kalibrert", "model": "modelltrekk"}[params.describe()["mode"]]
    print(f"skrev {out} ({mode}, {integer(rows)} rader, {seconds(dt)})")
    return 0


def cmd_build(args) -> int:
    from .build import LabelError, build
    from .data import DataError
    from .config import SettingError
    from .outdir import OutputFolderError

    # SIGTERM unwinds like Ctrl-C, so the private temporary folder is removed (workers reset it)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        report = build(args.data, args.out, only=args.only, jobs=args.jobs, svg=args.svg)
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    except (OutputFolderError, SettingError, LabelError) as err:
        print(f"build: {err}", file=sys.stderr)
        return 2
    print(report)
    return 0


def cmd_codebook(args) -> int:
    from .codebook import write_readme

    if not Path(args.dir).is_dir():
        print(f"codebook: mappa {args.dir} finnes ikke", file=sys.stderr)
        return 2
    try:
        path = write_readme(Path(args.dir))
    except OSError as err:
        print(f"codebook: kan ikke skrive README.md i {args.dir} ({err.strerror or err})", file=sys.stderr)
        return 2
    print(f"skrev {path}")
    return 0


def cmd_validate_methods(args) -> int:
    from . import validation

    summary, seconds = validation.run(args.trials, args.seed, args.jobs)
    show = summary.assign(**{c: summary[c].round(4) for c in ("type1", "type1_mcse", "binom_p_holm", "coverage", "coverage_mcse", "power")})
    print(show[["outcome", "method", "trials", "rejections", "type1", "type1_mcse", "binom_p_holm", "holds",
                "coverage", "coverage_mcse", "power"]].to_string(index=False))
    from .fmt import integer, num

    print(f"{integer(args.trials)} forsøk per scenario, {args.jobs} prosess{'er' if args.jobs != 1 else ''}, "
          f"{num(seconds, 1)} s i alt ({num(seconds * args.jobs / (2 * args.trials), 2)} s per forsøk og prosess)")
    if args.write:
        print(f"skrev {validation.write(summary, seconds, args.trials, args.seed, args.jobs)}")
    return 0


def cmd_sync(args) -> int:
    """Regenerate every file derived from the code: chapter captions, analysis/index.json, analysis/theme.json."""
    from . import captions, index, theme
    from .data import load

    stale = [str(p) for p in captions.run(check=args.check)]
    if index.sync(load(BUNDLED_DATA), check=args.check):
        stale.append(str(index.INDEX_PATH))
    if theme.sync(check=args.check):
        stale.append(str(theme.THEME_PATH))
    for p in stale:
        print(("avviker: " if args.check else "oppdatert: ") + p)
    return 1 if (args.check and stale) else 0


def main(argv=None) -> int:
    # argparse looks its texts up through gettext at the moment it formats them
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _nb, _nb_plural
    try:
        args = _parser().parse_args(argv)
    finally:
        argparse._, argparse.ngettext = saved
    return args.func(args)


def _parser() -> argparse.ArgumentParser:
    data_help = "datamappa (standard: $HPMT_DATA eller de medfølgende dataene i data/)"
    ap = argparse.ArgumentParser(prog="python -m analysis", description="hpmt-rapport: analyse- og dataverktøy")
    sub = ap.add_subparsers(dest="cmd", required=True, metavar="KOMMANDO", title="kommandoer")

    b = sub.add_parser("build", help="beregn alle registrerte tabeller, figurer og tall i teksten")
    b.add_argument("--data", default=None, metavar="MAPPE", help=data_help)
    b.add_argument("--out", default=str(PROJECT_ROOT / "_output"), metavar="MAPPE", help="utdatamappa (standard: _output/)")
    b.add_argument("--only", nargs="*", default=None, metavar="ETIKETT", help="bare disse etikettene")
    b.add_argument("--jobs", type=heltall, default=None, metavar="ANTALL",
                   help="antall arbeidsprosesser (standard: antall kjerner, høyst 4, på Linux; ellers 1; "
                        "1 = ingen parallelle prosesser)")
    b.add_argument("--svg", action="store_true", help="skriv også hver figur som SVG (PNG skrives alltid)")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="sjekk en datamappe mot kodeboka; viser alle problemer, avslutter med 1 "
                                        "om det finnes noen")
    v.add_argument("dir", nargs="?", default=None, metavar="MAPPE", help=data_help)
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("simulate", help="skriv en syntetisk datapakke")
    s.add_argument("--out", required=True, metavar="MAPPE", help="mappa datapakken skrives til")
    from .synth.simulate import DEFAULT_SEED, EFFECTS, ICCS

    def shown(x: float) -> str:
        return f"{x:g}".replace(".", ",")

    s.add_argument("--seed", type=heltall, default=DEFAULT_SEED, metavar="FRØ", help=f"frø for tilfeldige tall (standard {DEFAULT_SEED})")
    s.add_argument("--offices", type=heltall, default=18, metavar="ANTALL", help="antall kontor (partall; standard 18)")
    s.add_argument("--scale", type=tall, default=1.0, metavar="FAKTOR", help="ganger antall personer og skjema med dette tallet")
    s.add_argument("--mode", choices=["auto", "model"], default="auto",
                   help="auto: kalibrert til de publiserte tallene når alle parametre har standardverdien; "
                        "model: alltid et nytt trekk fra modellen")
    s.add_argument("--effect", type=_kv, action="append", metavar="NAVN=VERDI",
                   help="sann effekt; navn: " + ", ".join(f"{k} (standard {shown(v)})" for k, v in EFFECTS.items()))
    s.add_argument("--icc", type=_kv, action="append", metavar="NAVN=VERDI",
                   help="korrelasjon innen kontor; navn: " + ", ".join(f"{k} (standard {shown(v)})" for k, v in ICCS.items()))
    s.set_defaults(func=cmd_simulate)

    c = sub.add_parser("codebook", help="skriv README.md (kodeboka som tabeller) i en datamappe")
    c.add_argument("dir", nargs="?", default=str(BUNDLED_DATA), metavar="MAPPE",
                   help="datamappa (standard: de medfølgende dataene i data/)")
    c.set_defaults(func=cmd_codebook)

    m = sub.add_parser("validate-methods", help="simuleringsstudie: type I-feil, dekningsgrad og styrke for hver metode")
    m.add_argument("--trials", type=heltall, default=200, metavar="ANTALL", help="forsøk per scenario (ingen effekt / effekt; standard 200)")
    m.add_argument("--seed", type=heltall, default=1, metavar="FRØ", help="frø for tilfeldige tall (standard 1)")
    m.add_argument("--jobs", type=heltall, default=os.cpu_count() or 1, metavar="ANTALL",
                   help="parallelle prosesser (standard: alle kjerner)")
    m.add_argument("--write", action="store_true", help="lagre sammendraget som bokas resultater for metodevalideringen")
    m.set_defaults(func=cmd_validate_methods)

    y = sub.add_parser("sync", help="lag filene som er avledet av koden på nytt: figurtekstene i kapitlene, "
                                    "analysis/index.json (hvor hvert resultat og tall lages) og analysis/theme.json "
                                    "(figurtemaet)")
    y.add_argument("--check", action="store_true", help="bare vis filer som avviker (avslutter med 1)")
    y.set_defaults(func=cmd_sync)
    return ap
