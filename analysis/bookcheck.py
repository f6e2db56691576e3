"""Reader-level checks of the rendered book: what a reader of the HTML site and the PDF sees.

A chapter that runs in a kernel can still print badly: an escape sequence instead of a
no-break space, a cross-reference Quarto could not resolve, a table that went missing, a
figure without its image, English labels, a doubled full stop after «Kapittel 4».  These checks
read the rendered output (the HTML pages' visible text and the PDF's text, through pypdf) and
the render log, and return every problem found as a line of text; an empty list means the book
passed.

    from analysis.bookcheck import check_book
    problems = check_book(Path("_book"), log_text)
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import PROJECT_ROOT

PDF_NAME = "hpmt-rapport.pdf"

#: what must never reach a reader, in either format
FORBIDDEN = [
    (re.compile(r"\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}"), "escape sequence"),
    (re.compile(r"\?@[\w-]+|\?\?"), "unresolved cross-reference"),
    (re.compile(r"(?<![\w-])(?:nan|NaN|None|inf|-inf|NaT)(?![\w-])"), "missing value printed as Python/pandas text"),
    (re.compile(r"\b(?:Num|Inline|Stored|Table)\(|object at 0x|<analysis\.|<function "), "Python repr"),
    (re.compile(r"Traceback \(most recent call last\)|\b\w+Error: "), "Python error message"),
    (re.compile(r"(?:Kapittel|Vedlegg|Avsnitt|Tabell|Figur)\s[0-9A-Z]+(?:\.[0-9]+)*\.(?=[)\],;:]|\.(?!\.))"),
     "doubled punctuation after a cross-reference"),
    (re.compile(r"(?<![.\s])\.\.(?![.\s]*\.)"), "doubled full stop"),
]
#: English words Quarto uses when the language settings are lost
ENGLISH_LABELS = re.compile(r"\b(?:Figure|Table|Chapter|Appendix|Appendices|Section)\s[0-9A-Z]")
NORWEGIAN_LABELS = ("Figur", "Tabell", "Kapittel", "Vedlegg")
#: lines of a render log that a reader of the log must not have to skip
LOG_WARNING = re.compile(r"WARN|Warning|warning:|DeprecationWarning|FutureWarning|UserWarning|ERROR|Error:")
NOTICE_TITLE = "Syntetiske data"


@dataclass
class Float:
    label: str
    kind: str  # "tbl" or "fig"
    number: str
    caption: str
    page: str
    has_image: bool = False


@dataclass
class BookText:
    pages: dict[str, str] = field(default_factory=dict)  # HTML page -> visible text
    raw: dict[str, str] = field(default_factory=dict)  # HTML page -> source
    pdf_pages: list[str] = field(default_factory=list)
    pdf_images: list[int] = field(default_factory=list)  # images drawn on each PDF page
    floats: dict[str, Float] = field(default_factory=dict)


def visible_text(source: str) -> str:
    """The text a browser shows: no scripts, styles, tags or search index."""
    body = re.sub(r"<(script|style|noscript)\b.*?</\1>", " ", source, flags=re.S | re.I)
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"[ \t\r\f\v]+", " ", html.unescape(body))


_FLOAT = re.compile(r'<div id="((tbl|fig)-[\w-]+)" class="[^"]*quarto-float[^"]*"[^>]*>(.*?)<figcaption[^>]*>(.*?)</figcaption>',
                    re.S)


def read_book(book: Path) -> BookText:
    out = BookText()
    for page in sorted(book.rglob("*.html")):
        if "site_libs" in page.parts:
            continue
        rel = page.relative_to(book).as_posix()
        src = page.read_text(encoding="utf-8")
        out.raw[rel] = src
        out.pages[rel] = visible_text(src)
        for m in _FLOAT.finditer(src):
            label, kind, inner, cap = m.groups()
            cap_text = re.sub(r"\s+", " ", visible_text(cap)).strip()
            num = re.match(r"(?:Tabell|Figur)\s([0-9A-Z]+(?:\.[0-9]+)?):\s*(.*)", cap_text)
            img = re.search(r'<img [^>]*src="([^"]+)"', inner)
            has_image = bool(img) and (page.parent / img.group(1)).is_file()
            out.floats[label] = Float(label, kind, num.group(1) if num else "", num.group(2) if num else cap_text,
                                      rel, has_image)
    pdf = book / PDF_NAME
    if pdf.is_file():
        from pypdf import PdfReader

        reader = PdfReader(pdf)
        out.pdf_pages = [(p.extract_text() or "") for p in reader.pages]
        out.pdf_images = [_image_count(p) for p in reader.pages]
    return out


def _image_count(page) -> int:
    resources = page.get("/Resources") or {}
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if not xobjects:
        return 0
    xobjects = xobjects.get_object()
    return sum(1 for name in xobjects if xobjects[name].get_object().get("/Subtype") == "/Image")


def _norm(text: str) -> str:
    """Text for comparing the two formats: one space for any run of white space (PDF lines break
    anywhere, and a hyphen at a line end may be the PDF's own)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u00ad", "")).strip()


def chapter_titles(root: Path = PROJECT_ROOT) -> list[tuple[str, str]]:
    """(file, title) of every chapter and appendix in the book's order, from _quarto.yml."""
    import yaml

    book = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    out = []
    for entry in list(book.get("chapters", [])) + list(book.get("appendices", [])):
        path = entry if isinstance(entry, str) else entry.get("file") if isinstance(entry, dict) else None
        if not path:
            continue
        text = (root / path).read_text(encoding="utf-8")
        m = re.search(r"^# (.+?)\s*(?:\{[^}]*\})?\s*$", text, re.M)
        out.append((path, m.group(1).strip() if m else path))
    return out


def check_book(book: Path, log: str = "", *, labels=None, synthetic: bool = True,
               root: Path = PROJECT_ROOT, words=NORWEGIAN_LABELS) -> list[str]:
    """Every problem a reader would see in the rendered ``book`` (and in the render ``log``).

    ``labels`` are the tables and figures the book must show (default: every registered one);
    ``words`` the Norwegian labels it must use (a book without appendices has no «Vedlegg»)."""
    problems: list[str] = []
    if not (book / "index.html").is_file():
        return [f"{book}: no index.html (the HTML book was not rendered)"]
    text = read_book(book)
    if not text.pdf_pages:
        problems.append(f"{book / PDF_NAME}: the PDF is missing or has no pages")
    pdf_all = _norm("\n".join(text.pdf_pages))

    # 1. nothing that is not meant for a reader
    sources = [(f"HTML {p}", t) for p, t in text.pages.items()]
    sources += [(f"PDF page {i + 1}", t) for i, t in enumerate(text.pdf_pages)]
    for where, t in sources:
        for rx, what in FORBIDDEN:
            for m in rx.finditer(t):
                ctx = t[max(0, m.start() - 40):m.end() + 40].replace("\n", " ")
                problems.append(f"{where}: {what}: «{ctx.strip()}»")
        for m in ENGLISH_LABELS.finditer(t):
            problems.append(f"{where}: English label «{m.group(0)}»")

    # 2. language and labels
    for p, src in text.raw.items():
        if not re.search(r'<html[^>]*\blang="nb"', src):
            problems.append(f"HTML {p}: the page does not declare lang=\"nb\"")
    html_all = " ".join(text.pages.values())
    for word in words:
        if word not in html_all:
            problems.append(f"HTML: the Norwegian label «{word}» occurs nowhere")
        if word not in pdf_all:
            problems.append(f"PDF: the Norwegian label «{word}» occurs nowhere")

    # 3. every chapter and appendix, in both formats
    for path, title in chapter_titles(root):
        page = Path(path).with_suffix(".html").as_posix()
        if page not in text.pages:
            problems.append(f"HTML: chapter {path} has no page {page}")
        elif _norm(title) not in _norm(text.pages[page]):
            problems.append(f"HTML {page}: the title «{title}» is missing")
        if text.pdf_pages and _norm(title) not in pdf_all:
            problems.append(f"PDF: the chapter «{title}» ({path}) is missing")

    # 4. every table and figure, under the same number in both formats
    if labels is None:
        from .registry import load_all

        labels = sorted(load_all())
    for label in labels:
        f = text.floats.get(label)
        if f is None:
            problems.append(f"HTML: {label} is not in the book")
            continue
        if not f.number:
            problems.append(f"HTML {f.page}: {label} has no number in its caption «{f.caption[:60]}»")
            continue
        if f.kind == "fig" and not f.has_image:
            problems.append(f"HTML {f.page}: {label} (Figur {f.number}) has no image")
        word = "Tabell" if f.kind == "tbl" else "Figur"
        head = _norm(f"{word} {f.number}: {f.caption}")[:50]
        if text.pdf_pages:
            hits = [i for i, t in enumerate(text.pdf_pages) if head in _norm(t)]
            if not hits:
                problems.append(f"PDF: {label} is not there as «{head}…» (HTML has {word} {f.number})")
            elif f.kind == "fig" and not any(text.pdf_images[i] for i in hits):
                problems.append(f"PDF page {hits[0] + 1}: {label} ({word} {f.number}) has no image")
    shown = {lb for lb in text.floats}
    for label in sorted(shown - set(labels)):
        problems.append(f"HTML: {label} is shown but not registered in the package")

    # 5. the synthetic-data notice
    if synthetic:
        if NOTICE_TITLE not in text.pages.get("index.html", ""):
            problems.append("HTML index.html: the synthetic-data notice is missing")
        if text.pdf_pages and NOTICE_TITLE not in pdf_all:
            problems.append("PDF: the synthetic-data notice is missing")
    elif NOTICE_TITLE in html_all or NOTICE_TITLE in pdf_all:
        problems.append("the synthetic-data notice is shown although the data are real")

    # 6. a render log without warnings
    for line in log.splitlines():
        if LOG_WARNING.search(line):
            problems.append(f"render log: {line.strip()[:200]}")
    return problems
