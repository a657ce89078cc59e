"""Case study ``double_perovskite_gap``: see :mod:`lawfind.casestudies` (also ``lawfind case-study double_perovskite_gap``).

Usage: ``python case_studies/double_perovskite_gap.py [--quick] [--out DIR] [--overwrite]``
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import main_for  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run the study; returns the exit code."""
    return main_for("double_perovskite_gap", argv)


if __name__ == "__main__":
    raise SystemExit(main())
