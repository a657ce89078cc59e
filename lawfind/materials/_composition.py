"""Magpie-style composition features: fraction-weighted statistics of elemental properties."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from lawfind._progress import ProgressCallback, no_progress
from lawfind.exceptions import ConfigError, DataError, LawfindWarning
from lawfind.materials._elements import ElementProperty, element_values, require_pymatgen, resolve_properties
from lawfind.materials._parse import Fractions, parse_compositions

__all__ = ["composition_features", "CompositionFeaturizer", "STATS", "DEFAULT_STATS", "OnMissing"]

#: Statistics over the elements of a composition, weighted by atomic fraction ``f_i``.
STATS = ("mean", "min", "max", "range", "avg_dev", "mode", "std")
DEFAULT_STATS = ("mean", "min", "max", "range", "avg_dev", "mode")
OnMissing = Literal["error", "drop_property"]
_ON_MISSING = ("error", "drop_property")
_CHUNK = 2048  # rows per block: the (rows, elements, properties) work arrays stay small


def composition_features(
    data: pd.DataFrame | pd.Series,
    column: str | None = None,
    *,
    properties: str | Sequence[str] = "magpie",
    stats: Sequence[str] = DEFAULT_STATS,
    on_missing: OnMissing = "error",
    progress: ProgressCallback = no_progress,
) -> pd.DataFrame:
    r"""Fraction-weighted statistics of elemental properties for a column of compositions.

    Each composition (``"Fe0.7Ni0.3"``, ``"NaCl"``, ``"Al(NiB)2"``) is parsed with pymatgen
    and normalised to atomic fractions :math:`f_i` (:math:`\sum_i f_i = 1`).  For every
    elemental property :math:`x` (see :func:`element_properties`) the statistics are

    * ``mean`` :math:`\bar x = \sum_i f_i x_i`; ``min``, ``max``, ``range`` = max − min
      over the elements present;
    * ``avg_dev`` :math:`\sum_i f_i |x_i - \bar x|` (Magpie's average deviation);
    * ``mode``: :math:`x` of the element with the largest fraction (ties: the smallest
      such :math:`x`, as matminer does);
    * ``std`` :math:`\sqrt{\sum_i f_i (x_i - \bar x)^2}` (not in Magpie; on request).

    Parameters
    ----------
    data : DataFrame or Series
        The table holding the compositions, or the composition column itself.
    column : str, optional
        The composition column of ``data`` (required for a DataFrame).
    properties : {"magpie", "extended"} or sequence of str, default="magpie"
        A named property set or a list of property names.
    stats : sequence of str, default=("mean", "min", "max", "range", "avg_dev", "mode")
        Statistics among ``mean, min, max, range, avg_dev, mode, std``.
    on_missing : {"error", "drop_property"}, default="error"
        What to do when pymatgen has no value of a property for an element that occurs:
        raise :class:`~lawfind.exceptions.DataError`, or drop that property (every
        statistic of it) with a :class:`~lawfind.exceptions.LawfindWarning`.
    progress : callable, optional
        ``progress(fraction, message)`` while parsing and computing.

    Returns
    -------
    DataFrame
        One column ``{stat}_{property}`` per statistic and property (e.g.
        ``mean_electronegativity``), with ``data``'s index.  ``result.attrs["units"]`` maps
        each column to its pint unit (``"dimensionless"`` for counts and indices);
        ``result.attrs["dropped_properties"]`` maps dropped properties to the elements that
        lack them.

    Raises
    ------
    DataError
        A composition that is missing or does not parse (the message names the row's
        index label, its position and the string), or an element with no value of a
        property (``on_missing="error"``).
    ConfigError
        An unknown property, statistic or ``on_missing``.
    MissingDependencyError
        pymatgen is not installed (``pip install "lawfind[materials]"``).

    Examples
    --------
    >>> import pandas as pd
    >>> from lawfind.materials import composition_features
    >>> table = composition_features(pd.Series(["NaCl", "Fe0.7Ni0.3"]), properties=["electronegativity"])
    >>> table.round(3).to_dict("list")["mean_electronegativity"]
    [2.045, 1.854]
    >>> table.attrs["units"]["range_electronegativity"]
    'dimensionless'
    """
    chosen, stat_names = _check_options(properties, stats, on_missing)
    values, name = _column(data, column)
    require_pymatgen()
    fractions = parse_compositions(values, name, progress=lambda f, m: progress(0.8 * f, m))
    table = element_values(fractions.elements, chosen)
    kept, dropped = _handle_missing(table, fractions, chosen, values, name, on_missing)
    table = table[:, [chosen.index(p) for p in kept]]
    progress(0.8, f"statistics of {len(kept)} properties")
    blocks = [_statistics(fractions.matrix[start:start + _CHUNK], table, stat_names)
              for start in range(0, len(values), _CHUNK)]
    array = np.concatenate(blocks, axis=0) if blocks else np.empty((0, len(stat_names), len(kept)))
    columns = [f"{stat}_{prop.name}" for stat in stat_names for prop in kept]
    result = pd.DataFrame(array.reshape(len(values), -1), index=values.index, columns=columns)
    result.attrs["units"] = {f"{stat}_{prop.name}": prop.unit for stat in stat_names for prop in kept}
    result.attrs["dropped_properties"] = dropped
    progress(1.0, f"{result.shape[1]} composition features")
    return result


@dataclass(frozen=True)
class CompositionFeaturizer:
    """The options of :func:`composition_features`, bundled (for ``discover(composition=...)``).

    Parameters
    ----------
    column : str
        The composition column.
    properties, stats, on_missing
        As in :func:`composition_features`.

    Examples
    --------
    >>> from lawfind.materials import CompositionFeaturizer
    >>> featurizer = CompositionFeaturizer("formula", on_missing="drop_property")
    >>> featurizer.to_dict()["on_missing"]
    'drop_property'
    """

    column: str
    properties: str | tuple[str, ...] = "magpie"
    stats: tuple[str, ...] = DEFAULT_STATS
    on_missing: OnMissing = "error"

    def __post_init__(self) -> None:
        if not isinstance(self.column, str) or not self.column:
            raise ConfigError(f"the composition column must be a column name, got {self.column!r}")
        if not isinstance(self.properties, str):
            object.__setattr__(self, "properties", tuple(self.properties))
        object.__setattr__(self, "stats", tuple(self.stats))
        _check_options(self.properties, self.stats, self.on_missing)

    def transform(self, frame: pd.DataFrame, progress: ProgressCallback = no_progress) -> pd.DataFrame:
        """The composition features of ``frame[self.column]`` (see :func:`composition_features`)."""
        return composition_features(frame, self.column, properties=self.properties, stats=self.stats,
                                    on_missing=self.on_missing, progress=progress)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record of the options (saved in a run's config)."""
        properties = self.properties if isinstance(self.properties, str) else list(self.properties)
        return {"column": self.column, "properties": properties, "stats": list(self.stats),
                "on_missing": self.on_missing}


def _check_options(properties: Any, stats: Any, on_missing: Any) -> tuple[tuple[ElementProperty, ...], tuple[str, ...]]:
    chosen = resolve_properties(properties)
    if isinstance(stats, str):
        stats = (stats,)
    stat_names = tuple(stats)
    if not stat_names:
        raise ConfigError(f"stats is empty; choose among {list(STATS)}")
    unknown = [s for s in stat_names if s not in STATS]
    if unknown:
        raise ConfigError(f"unknown statistic(s) {unknown}; choose among {list(STATS)}")
    repeated = sorted({s for s in stat_names if stat_names.count(s) > 1})
    if repeated:
        raise ConfigError(f"statistic(s) {repeated} are listed more than once")
    if on_missing not in _ON_MISSING:
        raise ConfigError(f"on_missing must be one of {list(_ON_MISSING)}, got {on_missing!r}")
    return chosen, stat_names


def _column(data: Any, column: str | None) -> tuple[pd.Series, str]:
    if isinstance(data, pd.Series):
        return data, str(column if column is not None else data.name if data.name is not None else "composition")
    if isinstance(data, pd.DataFrame):
        if column is None:
            raise ConfigError("name the composition column, e.g. composition_features(frame, 'formula')")
        if column not in data.columns:
            raise DataError(f"composition column {column!r} not found; columns are: {[str(c) for c in data.columns]}")
        values = data[column]
        if isinstance(values, pd.DataFrame):
            raise DataError(f"there are several columns named {column!r}; rename them so each is unique")
        return values, str(column)
    raise DataError(f"expected a pandas DataFrame or Series of compositions, got {type(data).__name__}")


def _handle_missing(table: np.ndarray, fractions: Fractions, chosen: tuple[ElementProperty, ...],
                    values: pd.Series, column: str, on_missing: str
                    ) -> tuple[list[ElementProperty], dict[str, list[str]]]:
    missing = {prop.name: [fractions.elements[j] for j in np.flatnonzero(np.isnan(table[:, k]))]
               for k, prop in enumerate(chosen)}
    missing = {name: elements for name, elements in missing.items() if elements}
    if not missing:
        return list(chosen), {}
    if on_missing == "error":
        name, elements = next(iter(missing.items()))
        j = fractions.elements.index(elements[0])
        position = int(np.flatnonzero(fractions.matrix[:, j] > 0)[0])
        others = f" (also: {', '.join(f'{k} of {v}' for k, v in list(missing.items())[1:4])})" if len(missing) > 1 else ""
        raise DataError(
            f"pymatgen has no {name} for {', '.join(elements)} (first in row {values.index[position]!r}, position "
            f"{position}, {values.iloc[position]!r} of column {column!r}){others}; leave the property out "
            f"with on_missing='drop_property' (CLI: --on-missing drop_property) or choose properties="
        )
    kept = [prop for prop in chosen if prop.name not in missing]
    if not kept:
        raise DataError(f"every requested property lacks a value for some element present: {missing}; "
                        f"choose other properties")
    warnings.warn(
        "composition features: dropped properties with no value for some element present: "
        + "; ".join(f"{name} (no value for {', '.join(elements)})" for name, elements in missing.items()),
        LawfindWarning, stacklevel=3,
    )
    return kept, missing


def _statistics(fractions: np.ndarray, values: np.ndarray, stats: Sequence[str]) -> np.ndarray:
    """Array ``(rows, len(stats), properties)`` of the statistics of one block of rows."""
    # keep only each row's k largest fractions (k = most elements in any row), largest first
    k = max(1, int((fractions > 0).sum(axis=1).max(initial=0)))
    order = np.argsort(-fractions, axis=1, kind="stable")[:, :k]
    weights = np.take_along_axis(fractions, order, axis=1)  # (rows, k)
    present = weights > 0
    grid = values[order]  # (rows, k, properties)
    mean = np.einsum("rk,rkp->rp", weights, grid)
    out = np.empty((len(fractions), len(stats), values.shape[1]))
    low = high = None
    for s, stat in enumerate(stats):
        if stat == "mean":
            out[:, s] = mean
        elif stat in ("min", "max", "range"):
            if low is None:
                low = np.where(present[:, :, None], grid, np.inf).min(axis=1)
                high = np.where(present[:, :, None], grid, -np.inf).max(axis=1)
            out[:, s] = low if stat == "min" else high if stat == "max" else high - low
        elif stat == "avg_dev":
            out[:, s] = np.einsum("rk,rkp->rp", weights, np.abs(grid - mean[:, None, :]))
        elif stat == "std":
            out[:, s] = np.sqrt(np.einsum("rk,rkp->rp", weights, (grid - mean[:, None, :]) ** 2))
        else:  # mode: the element with the largest fraction; ties -> the smallest value
            top = weights >= weights[:, :1] * (1 - 1e-12)
            out[:, s] = np.where(top[:, :, None], grid, np.inf).min(axis=1)
    return out
