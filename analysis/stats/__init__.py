"""Inference for a cluster-randomised trial with few clusters.

* :mod:`.cluster` – cluster-robust variance (CR0, CR1, CR2/Bell–McCaffrey) with
  Satterthwaite (Bell–McCaffrey/Pustejovsky–Tipton) degrees of freedom, the
  cluster-level t-test, the one-way ANOVA intra-cluster correlation and design effect.
* :mod:`.randomisation` – exact randomisation inference over every allocation of
  the treated clusters (vectorised: one matrix product for all outcomes).
"""

from .cluster import cluster_ttest, cr2_regression, icc_anova, robust_vcov
from .randomisation import allocations, randomisation_pvalues

__all__ = ["allocations", "cluster_ttest", "cr2_regression", "icc_anova", "randomisation_pvalues", "robust_vcov"]
