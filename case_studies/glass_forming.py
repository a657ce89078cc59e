"""Case study ``glass_forming``: see :mod:`lawfind.casestudies` (also ``lawfind case-study glass_forming``).

Usage: ``python case_studies/glass_forming.py [--quick] [--out DIR] [--overwrite]``
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import main_for  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run the study; returns the exit code."""
    return main_for("glass_forming", argv)


if __name__ == "__main__":
    raise SystemExit(main())
