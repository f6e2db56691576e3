"""Helpers for tests that change a study in memory (imported by the test modules; tests/ is on sys.path)."""

from analysis.data import StudyData


def copy_study(study, synthetic=None, **frames) -> StudyData:
    """The study with some frames replaced and, when given, another ``synthetic`` flag."""
    new = dict(study.frames)
    new.update(frames)
    desc = dict(study.descriptor)
    if synthetic is not None:
        desc["synthetic"] = synthetic
    return StudyData(study.folder, new, desc, study.checksum)
