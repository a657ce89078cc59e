"""Published (reference) laws, parsed safely against the run's column names and scored on its data."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Union

import pandas as pd

from lawfind.exceptions import ConfigError, ExpressionError
from lawfind.law import Law, internal_symbol, parse_expression, regression_metrics

__all__ = ["ReferenceLaw", "ReferenceLike", "as_references", "reference_scores"]

_QUOTED = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class ReferenceLaw:
    """A law from the literature, e.g. ``UTS = −99.8 + 3.734·HV`` (Pavlina & Van Tyne 2008).

    Parameters
    ----------
    label : str
        How the report names it (author and year).
    expression : str
        The right-hand side in the data's column names: identifiers as they are,
        other names in backticks (``3.1*`Hardness (HV)```), as :meth:`Law.equation`
        writes them.  Parsed with the safe parser (no ``eval``).
    aliases : mapping of str to str, optional
        Names used in ``expression`` -> column names (``{"HV": "Hardness"}``).

    Examples
    --------
    >>> ref = ReferenceLaw("Pavlina & Van Tyne 2008", "-99.8 + 3.734*HV", {"HV": "Hardness"})
    >>> ref.to_law(["Hardness"], "Tensile Strength").equation()
    '3.734*Hardness - 99.8'
    """

    label: str
    expression: str
    aliases: Mapping[str, str] = field(default_factory=dict)

    def to_law(self, columns: Sequence[str], target: str) -> Law:
        """The reference as a :class:`Law` over ``columns`` (``x{i}`` is ``columns[i]``)."""
        index = {name: i for i, name in enumerate(columns)}
        symbols = {name: internal_symbol(i) for name, i in index.items() if name.isidentifier()}
        for alias, column in dict(self.aliases).items():
            if column not in index:
                raise ConfigError(f"reference {self.label!r}: alias {alias!r} names the column {column!r}, which is "
                                  f"not a feature of the run; features: {list(columns)}")
            symbols[alias] = internal_symbol(index[column])
        quoted: dict[str, str] = {}

        def placeholder(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in index:
                raise ExpressionError(f"reference {self.label!r}: `{name}` is not a feature of the run; features: "
                                      f"{list(columns)}")
            key = f"_lawfind_quoted_{len(quoted)}"
            quoted[key] = name
            symbols[key] = internal_symbol(index[name])
            return key

        text = _QUOTED.sub(placeholder, str(self.expression))
        try:
            expression = parse_expression(text, symbols)
        except ExpressionError as exc:
            raise ExpressionError(f"reference {self.label!r}: {exc}; the run's features are {list(columns)} (quote "
                                  f"odd names in backticks, or map names with aliases such as "
                                  f"{{'HV': 'Hardness'}})") from None
        variables = {f"x{i}": name for i, name in enumerate(columns)}
        return Law(expression, variables, target=target, origin=f"reference: {self.label}")


ReferenceLike = Union[ReferenceLaw, tuple[str, str], tuple[str, str, Mapping[str, str]]]


def as_references(items: Sequence[ReferenceLike]) -> list[ReferenceLaw]:
    """Accept ``ReferenceLaw`` objects or ``(label, expression[, aliases])`` tuples."""
    out = []
    for item in items:
        if isinstance(item, ReferenceLaw):
            out.append(item)
        elif isinstance(item, tuple) and len(item) in (2, 3) and all(isinstance(v, str) for v in item[:2]):
            out.append(ReferenceLaw(*item))
        else:
            raise ConfigError(f"a reference must be a ReferenceLaw or a (label, expression[, aliases]) tuple, got "
                              f"{item!r}")
    return out


def reference_scores(laws: Mapping[str, Law], frame: pd.DataFrame, target: str) -> pd.DataFrame:
    """R², RMSE and MAE of each law on ``frame`` (the same data for all).

    Parameters
    ----------
    laws : mapping of label to Law
    frame : DataFrame
        Holds every law's columns and ``target``.
    target : str
    """
    rows = []
    for label, law in laws.items():
        metrics = regression_metrics(frame[target].to_numpy(dtype=float), law.predict(frame))
        rows.append({"law": label, "equation": f"{target} = {law.equation(6)}", "r2": metrics["r2"],
                     "rmse": metrics["rmse"], "mae": metrics["mae"]})
    return pd.DataFrame(rows, columns=["law", "equation", "r2", "rmse", "mae"])
