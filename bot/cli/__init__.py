"""The ``statusbot`` command line and the tools it runs: ``run``, ``demo``, ``doctor``, ``ask``."""
