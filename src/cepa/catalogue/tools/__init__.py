"""Editor tools for the shipped reference data; never imported at run time."""
