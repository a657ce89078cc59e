"""Keep dimensionally inconsistent laws off a front (``discover(units_check="filter")``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lawfind.exceptions import ConfigError, SearchError
from lawfind.law._law import Law

__all__ = ["UNITS_CHECK_MODES", "check_units_mode", "filter_by_units"]

#: ``"filter"``: drop laws whose form depends on the units; ``"keep"``: keep every law (the
#: CLI and ``Law.check_units`` still mark the inconsistent ones).
UNITS_CHECK_MODES = ("keep", "filter")
_EXAMPLES = 3


def check_units_mode(mode: str) -> None:
    """Refuse an unknown ``units_check`` (before any search)."""
    if mode not in UNITS_CHECK_MODES:
        raise ConfigError(f"units_check (--units-check) must be one of {list(UNITS_CHECK_MODES)}, got {mode!r}")


def filter_by_units(laws: Sequence[Law], units: Mapping[str, str] | None, mode: str) -> tuple[list[Law], dict[str, Any]]:
    """The laws to put on the front, and a record of the check for ``run.info["units_check"]``.

    ``mode`` is one of UNITS_CHECK_MODES (see :func:`check_units_mode`).  With no units the
    laws pass unchanged and the record says so.  With ``mode="filter"``
    every law with a dimensional error is dropped; a :class:`SearchError` explains what
    to do when that would drop every law.
    """
    if not units:
        return list(laws), {"mode": mode, "checked": 0, "inconsistent": 0}
    checks = [law.check_units(units) for law in laws]
    bad = [(law, check) for law, check in zip(laws, checks) if check.status == "inconsistent"]
    record = {"mode": mode, "checked": sum(check.status != "unchecked" for check in checks),
              "inconsistent": len(bad),
              "examples": [f"{law.equation(4)}: {'; '.join(check.problems)}" for law, check in bad[:_EXAMPLES]]}
    if mode == "keep" or not bad:
        return list(laws), record
    kept = [law for law, check in zip(laws, checks) if check.status != "inconsistent"]
    if not kept:
        raise SearchError(f"every one of the {len(laws)} laws found depends on the units of the data (e.g. "
                          f"{record['examples'][0]}); check the units given, or pass units_check='keep' "
                          "(--units-check keep) to see them anyway")
    return kept, record
