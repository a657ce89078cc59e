"""Case study ``octet_binaries``: see :mod:`lawfind.casestudies` (also ``lawfind case-study octet_binaries``).

Usage: ``python case_studies/octet_binaries.py [--quick] [--out DIR] [--overwrite]``
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import main_for  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run the study; returns the exit code."""
    return main_for("octet_binaries", argv)


if __name__ == "__main__":
    raise SystemExit(main())
