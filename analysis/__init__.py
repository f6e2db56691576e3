"""hpmt-rapport: analysis package behind the HPMT evaluation report.

Everything a chapter shows comes from here: the study data (:mod:`analysis.data`),
the registry of tables and figures (:mod:`analysis.registry`), the inline numbers
(:mod:`analysis.results`) and the Norwegian formatting (:mod:`analysis.fmt`).
"""

__version__ = "0.1.0"
