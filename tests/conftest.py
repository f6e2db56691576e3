import os
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.pop("HPMT_DATA", None)


@pytest.fixture(scope="session")
def study():
    from analysis.data import load

    return load(ROOT / "data")


@pytest.fixture(scope="session")
def R(study):
    from analysis import results, theme

    theme.apply()
    return results.compute(study)


@pytest.fixture(scope="session")
def chapters():
    from analysis.captions import chapter_files

    return chapter_files()
