"""The unit options of a units-aware engine (``feature_units``, ``target_unit``): checks and dimensions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lawfind.exceptions import ConfigError
from lawfind.law import dimension_vectors
from lawfind.law._units import parse_unit

__all__ = ["check_unit_options", "input_dimensions"]


def check_unit_options(engine: str, feature_units: Sequence[str | None] | None, target_unit: str | None) -> None:
    """Raise a :class:`ConfigError` naming ``engine`` unless every unit is None or a pint unit string.

    Examples
    --------
    >>> check_unit_options("portfolio", ("eV", None), "eV")
    >>> check_unit_options("portfolio", "eV", None)
    Traceback (most recent call last):
    ...
    lawfind.exceptions.ConfigError: portfolio engine: feature_units must be None or a tuple with one pint unit string (or None) per input column, got 'eV'
    """
    if feature_units is not None:
        if isinstance(feature_units, (str, bytes)) or not isinstance(feature_units, (tuple, list)):
            raise ConfigError(f"{engine} engine: feature_units must be None or a tuple with one pint unit string "
                              f"(or None) per input column, got {feature_units!r}")
        for index, unit in enumerate(feature_units):
            if unit is not None and not isinstance(unit, str):
                raise ConfigError(f"{engine} engine: feature_units[{index}] must be a pint unit string or None, "
                                  f"got {unit!r}")
        dimension_vectors(feature_units, f"{engine} engine: feature_units")
    if target_unit is not None:
        if not isinstance(target_unit, str):
            raise ConfigError(f"{engine} engine: target_unit must be None or a pint unit string such as 'eV', "
                              f"got {target_unit!r}")
        parse_unit(target_unit, f"{engine} engine: target_unit")


def input_dimensions(engine: str, feature_units: Sequence[str | None] | None, target_unit: str | None,
                     n_features: int) -> tuple[np.ndarray | None, bool]:
    """The dimension of each input (None when no unit is given) and whether the target is dimensional.

    Examples
    --------
    >>> dims, dimensional_target = input_dimensions("portfolio", ("eV", None), "eV", 2)
    >>> dims.any(axis=1).tolist(), dimensional_target
    ([True, False], True)
    """
    if feature_units is None and target_unit is None:
        return None, False
    units = tuple(feature_units) if feature_units is not None else (None,) * n_features
    if len(units) != n_features:
        raise ConfigError(f"{engine} engine: feature_units has {len(units)} entries but the data have "
                          f"{n_features} inputs")
    dimensional_target = target_unit is not None and bool(dimension_vectors([target_unit]).any())
    return dimension_vectors(units), dimensional_target
