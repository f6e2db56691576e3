"""Output modules, one per chapter; importing them registers every table, figure and
inline-number provider."""

from . import (  # noqa: F401
    design,
    samlinger,
    verktoy,
    effekter_veiledere,
    effekter_deltakere,
    implementering,
    kontor,
    appendix,
)
