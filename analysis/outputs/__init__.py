"""Output modules, one per chapter; importing one registers its tables, figures and
inline-number providers.  The package itself imports nothing, so a chapter that shows
one output loads one module (see :func:`analysis.registry.load_all` for all of them)."""

MODULES = ("bakgrunn", "design", "frafall", "begrensninger", "samlinger", "verktoy", "verktoy_figurer",
           "effekter_veiledere", "effekter_deltakere", "effekter_samlet", "implementering", "kompetanse", "kontor",
           "kontor_tall", "kontor_figurer", "appendix", "tekst", "sammendrag")
