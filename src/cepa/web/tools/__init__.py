"""Editor tools for the web's shipped data; never imported at run time."""
