"""The codebook as readable tables (``data/README.md``), generated from the data package."""

from __future__ import annotations

from pathlib import Path

from .data import load_schema, number_text

INTRO = """# Data for HPMT-studien

Denne mappa er en [Frictionless data package](https://datapackage.org/): `datapackage.yaml`
beskriver hver fil (CSV, UTF-8), hver kolonne med type, begrensninger, tillatte manglende
verdier (tom celle), norsk etikett og spørsmålet eller registerdefinisjonen den kommer fra,
og fremmednøklene mellom filene. Tabellene under er laget fra den samme beskrivelsen
(`python -m analysis codebook`).

**Dataene her er syntetiske.** De er laget av `python -m analysis simulate --out data`
(frø og parametre står i `datapackage.yaml` under `generator`) og kalibrert slik at analysen
gjenskaper de publiserte tallene i sluttrapporten og artikkelen. De ekte mikrodataene er
konfidensielle. ID-ene er pseudonyme; det finnes ingen direkte identifikatorer. De kvalitative
utdragene er syntetiske parafraser, aldri sitater.

Ekte data legges i en mappe med de samme filene og en `datapackage.yaml` med
`synthetic: false`, for eksempel `data-real/` (ignorert av git), og pekes til med
`HPMT_DATA=data-real` eller `python -m analysis build --data data-real`.
`python -m analysis validate data-real` sjekker alt kodeboka sier og reglene på tvers av filene.
"""


def _constraints(f: dict) -> str:
    c = f.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("påkrevd")
    if c.get("unique"):
        parts.append("unik")
    if "minimum" in c or "maximum" in c:
        parts.append(f"{number_text(c.get('minimum', ''))}–{number_text(c.get('maximum', ''))}")
    if "enum" in c:
        parts.append("én av: " + ", ".join(f"`{v}`" for v in c["enum"]))
    if "pattern" in c:
        parts.append(f"mønster `{c['pattern']}`")
    return "; ".join(parts) or "tom tillatt"


def render() -> str:
    schema = load_schema()
    out = [INTRO]
    out.append("## Filene\n\n| Fil | Innhold | Primærnøkkel | Fremmednøkler |\n|---|---|---|---|")
    for r in schema["resources"]:
        s = r["schema"]
        fks = "; ".join(f"{fk['fields'][0]} → {fk['reference']['resource']}" for fk in s.get("foreignKeys", [])) or "–"
        out.append(f"| `{r['path']}` | {r['title']} | {', '.join(s['primaryKey'])} | {fks} |")
    for r in schema["resources"]:
        out.append(f"\n## `{r['path']}`: {r['title']}\n\n{r['description']}\n")
        out.append("| Kolonne | Type | Etikett | Begrensninger | Definisjon |\n|---|---|---|---|---|")
        for f in r["schema"]["fields"]:
            desc = f.get("description", "").replace("|", "/")
            out.append(f"| `{f['name']}` | {f['type']} | {f['title']} | {_constraints(f)} | {desc} |")
    return "\n".join(out) + "\n"


def write_readme(folder: Path) -> Path:
    path = Path(folder) / "README.md"
    path.write_text(render(), encoding="utf-8")
    return path
