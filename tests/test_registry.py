import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis import registry
from analysis.registry import Table


def test_labels_and_alt_text():
    reg = registry.load_all()
    assert reg, "no outputs registered"
    for label, out in reg.items():
        assert label.startswith("tbl-" if out.kind == "table" else "fig-")
        assert out.caption.strip()
        if out.kind == "figure":
            assert out.alt and len(out.alt) > 40, f"{label}: alt text too short"


def test_registration_rules():
    with pytest.raises(ValueError, match="must start with"):
        registry.table("fig-x", caption="c", chapter="x")
    with pytest.raises(ValueError, match="alt text"):
        registry.figure("fig-x", caption="c", alt="", chapter="x")
    some = next(iter(registry.load_all()))
    with pytest.raises(ValueError, match="twice"):
        registry.table(some, caption="c", chapter="x")(lambda s: None) if some.startswith("tbl-") else \
            registry.figure(some, caption="c", alt="a" * 50, chapter="x")(lambda s: None)


def test_unknown_label_is_a_clear_error():
    with pytest.raises(KeyError, match="no registered output"):
        registry.get("tbl-finnes-ikke")


def test_wrong_return_type_is_rejected():
    out = registry.Output("tbl-test", "table", "c", "x", lambda s: pd.DataFrame())
    with pytest.raises(TypeError):
        out.compute(None)


def test_every_output_computes(study):
    from analysis import theme

    theme.apply()
    for label, out in registry.load_all().items():
        res = out.compute(study)
        if out.kind == "table":
            assert isinstance(res, Table) and len(res.frame) > 0, label
            md = res.to_markdown()
            assert md.count("\n|") >= 2, label
            assert "nan" not in md.lower().split("|"), label
        else:
            assert isinstance(res, Figure) and res.axes, label
            import matplotlib.pyplot as plt

            plt.close(res)


def test_table_markdown_has_norwegian_numbers(study):
    md = registry.get("tbl-aktivitet").compute(study).to_markdown()
    assert "19,0" in md and "19.0" not in md


def test_cells_that_look_like_typst_markup_stay_text():
    """Typst reads «= …», «- …», «+ …» and «2. …» at the start of a table cell as a heading or a
    list (a heading in a cell stops the PDF: «pagebreaks are not allowed inside of containers»);
    such cells start with a word joiner, other cells are unchanged."""
    frame = pd.DataFrame({"Merknad": ["= (2,9 − 2,5)/2,5", "2. samling", "- ingen", "vanlig tekst"],
                          "Verdi": ["-0,5", "1 672", "+ 3", "4"]})
    lines = Table(frame).to_markdown().splitlines()[2:]
    first = [line.split("|")[1].strip() for line in lines]
    second = [line.split("|")[2].strip() for line in lines]
    assert first[:3] == ["\u2060= (2,9 − 2,5)/2,5", "\u20602. samling", "\u2060- ingen"]
    assert first[3] == "vanlig tekst"
    assert second == ["-0,5", "1 672", "\u2060+ 3", "4"]
