"""The seeded, calibrated synthetic HPMT data set (see :mod:`analysis.synth.simulate`)."""
