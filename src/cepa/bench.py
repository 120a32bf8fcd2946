"""`python -m cepa.bench` (what `make bench` runs): see cepa.demo.bench."""

from __future__ import annotations

from cepa.demo.bench import main

if __name__ == "__main__":
    raise SystemExit(main())
