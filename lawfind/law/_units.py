"""Dimensional check of a law: does its form depend on the units the data were measured in?

A law's fitted constants can carry any unit, so ``3.2·T`` is fine whatever ``T``'s unit;
but ``cos(E)`` with ``E`` in eV, or ``x + T`` with metres and kelvin, change meaning when
the data are given in other units.  :func:`check_units` walks the SymPy tree with pint
dimensionalities and these rules:

* a number (fitted or exact) adapts: it takes whatever unit its place needs, so a term with
  a number as factor (``0.5·x``) adapts too, and a number in a sum takes the unit of the
  other terms (``x + 1`` adds a constant in ``x``'s unit);
* ``+``: terms of fixed unit must share a dimensionality;
* ``*``, ``/`` and numeric powers combine units (``x**0.5`` takes the square root);
* a power with a symbolic exponent (``x**y``) needs a dimensionless base and exponent;
* ``exp``, trigonometric and hyperbolic functions need a dimensionless (or adaptive)
  argument; ``exp(c + u)`` with a number ``c`` in the sum adapts (it is ``e^c·exp(u)``);
  ``log`` takes any argument — ``log(c·x) = log c + log x``, so a change of unit
  only shifts the law by a constant; ``Abs`` keeps the unit, ``sign`` is dimensionless;
* finally the law's unit must match the target's, when both are fixed.

Columns with no unit count as dimensionless: give every dimensional column its unit.
Only dimensionalities are compared, not scales (``angstrom`` and ``nm`` are both lengths).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import sympy as sp

from lawfind.exceptions import ConfigError, LawfindError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from lawfind.law._law import Law

__all__ = ["UnitsCheck", "check_units", "unit_registry", "parse_unit", "unit_problem", "dimension_vectors",
           "units_consistency"]

_REGISTRY: Any = None


def unit_registry() -> Any:
    """lawfind's (cached) pint registry."""
    global _REGISTRY
    if _REGISTRY is None:
        import pint

        _REGISTRY = pint.UnitRegistry()
    return _REGISTRY


def unit_problem(text: str) -> str | None:
    """Why pint cannot read the unit ``text`` (``None`` when it can)."""
    try:
        unit_registry().parse_units(str(text))
    except Exception as exc:  # pint raises many kinds (UndefinedUnitError, ZeroDivisionError for "1/0", ...)
        return str(exc).strip() or f"not a valid unit expression ({type(exc).__name__})"
    return None


def parse_unit(text: str, where: str, error: type[Exception] = ConfigError) -> Any:
    """Parse a pint unit string; raise ``error`` naming ``where`` if pint cannot read it."""
    problem = unit_problem(text)
    if problem is not None:
        raise error(f"{where} has the unit {text!r}, which pint does not understand ({problem}); write it in "
                    f"pint syntax, e.g. 'eV', 'angstrom', 'MPa', 'eV/angstrom**2' or 'dimensionless'") from None
    return unit_registry().parse_units(str(text))


def dimension_vectors(units: "Sequence[str | None]", where: str = "feature_units") -> "np.ndarray":
    """The dimensionality of each unit as a row of base-dimension exponents (``None``: dimensionless).

    Parameters
    ----------
    units : sequence of (str or None)
        Pint unit strings, one per column.
    where : str, default="feature_units"
        Named in the error when a unit cannot be read.

    Returns
    -------
    ndarray of shape (len(units), n_base_dimensions)
        Row ``i`` is zero exactly when column ``i`` is dimensionless.

    Examples
    --------
    >>> dimension_vectors(["eV", None, "angstrom/nm"]).any(axis=1).tolist()
    [True, False, False]
    """
    import numpy as np

    dimensionalities = [{} if text is None else dict(parse_unit(text, f"{where}[{i}]").dimensionality)
                        for i, text in enumerate(units)]
    bases = sorted({base for d in dimensionalities for base in d})
    return np.array([[float(d.get(base, 0)) for base in bases] for d in dimensionalities]).reshape(len(units),
                                                                                                   len(bases))


@dataclass(frozen=True)
class UnitsCheck:
    """The outcome of :func:`check_units`.

    Attributes
    ----------
    status : {"consistent", "inconsistent", "unchecked"}
        ``"unchecked"`` when no column of the law (nor the target) has a unit.
    problems : tuple of str
        One sentence per dimensional error, naming the sub-expression and its unit.
    unit : str or None
        The unit of the law's value (``None`` when a constant sets it, or unchecked).
    """

    status: Literal["consistent", "inconsistent", "unchecked"]
    problems: tuple[str, ...] = ()
    unit: str | None = None

    @property
    def ok(self) -> bool:
        """True unless the check found a problem."""
        return self.status != "inconsistent"

    def summary(self) -> str:
        """One line: ``consistent``, ``unchecked (no units)`` or the problems."""
        if self.status == "unchecked":
            return "unchecked (no units given)"
        if self.status == "consistent":
            return "consistent" + (f" (value in {self.unit})" if self.unit else "")
        return "inconsistent: " + "; ".join(self.problems)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"status": self.status, "problems": list(self.problems), "unit": self.unit}


class _Adaptive:
    """The unit of a sub-expression that a constant can set to anything."""

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "ADAPTIVE"


_ADAPTIVE = _Adaptive()


def check_units(law: "Law", units: Mapping[str, str | None] | None) -> UnitsCheck:
    """Check that ``law``'s form does not depend on the units of its columns (see the module docstring).

    Parameters
    ----------
    law : Law
    units : mapping of column name to pint unit string, or None
        E.g. ``run.data["units"]``; columns missing from it count as dimensionless.

    Returns
    -------
    UnitsCheck

    Raises
    ------
    ConfigError
        If a unit of one of the law's columns is not a pint unit.

    Examples
    --------
    >>> from lawfind import Law
    >>> law = Law.from_string("2.1*cos(x0) + x1", {"x0": "E", "x1": "T"}, target="y")
    >>> check_units(law, {"E": "eV", "T": "K", "y": "K"}).summary()
    'inconsistent: cos(E) needs a dimensionless argument, but E is in electron_volt'
    >>> check_units(law, {"E": "dimensionless", "T": "K", "y": "K"}).summary()
    'consistent (value in kelvin)'
    """
    units = {name: unit for name, unit in dict(units or {}).items() if unit not in (None, "")}
    columns = [*law.features, law.target]
    if not any(name in units for name in columns):
        return UnitsCheck("unchecked")
    registry = unit_registry()
    symbol_units = {}
    for symbol in law.symbols:
        name = law.variables[symbol.name]
        text = units.get(name)
        symbol_units[symbol] = parse_unit(text, f"column {name!r}") if text else registry.dimensionless
    walker = _Walker(law, symbol_units)
    unit = walker.unit(law.expression)
    target_text = units.get(law.target)
    if target_text and unit is not _ADAPTIVE and law.decision is None:
        target_unit = parse_unit(target_text, f"target {law.target!r}")
        if target_unit.dimensionality != unit.dimensionality:
            walker.problems.append(f"the law's value is in {_name(unit)}, but the target {law.target} is in "
                                   f"{_name(target_unit)}")
    fixed = None if unit is _ADAPTIVE else _name(unit)
    if walker.problems:
        return UnitsCheck("inconsistent", tuple(dict.fromkeys(walker.problems)), fixed)
    return UnitsCheck("consistent", (), fixed)


def units_consistency(variables: Mapping[str, str], target: str,
                      units: Mapping[str, str | None] | None) -> Callable[[sp.Expr], bool] | None:
    """``expr -> bool``: does a law over the internal symbols of ``variables`` pass :func:`check_units`?

    None when no column (nor the target) has a unit: there is nothing to check.  Used by
    the post-processing so that snapping a constant never ties a law to the data's units.
    """
    from lawfind.law._law import Law

    given = {name: unit for name, unit in dict(units or {}).items() if unit not in (None, "")}
    if not any(name in given for name in [*variables.values(), target]):
        return None

    def consistent(expr: sp.Expr) -> bool:
        used = {s.name: variables[s.name] for s in expr.free_symbols if s.name in variables}
        try:
            law = Law(expr, used, target=target)
        except LawfindError:
            return True  # not a law the check can read: the fit judges it
        return check_units(law, given).ok

    return consistent


def _name(unit: Any) -> str:
    text = str(unit)
    return text if text else "dimensionless"


class _Walker:
    """Computes units bottom-up, collecting every problem on the way."""

    def __init__(self, law: "Law", symbol_units: dict[sp.Symbol, Any]) -> None:
        self.law = law
        self.symbol_units = symbol_units
        self.problems: list[str] = []
        self.dimensionless = unit_registry().dimensionless

    def text(self, expr: sp.Expr) -> str:
        """A sub-expression in the user's column names."""
        names = {symbol: sp.Symbol(self.law.variables[symbol.name]) for symbol in expr.free_symbols
                 if symbol.name in self.law.variables}
        return str(expr.xreplace(names))

    def is_dimensionless(self, unit: Any) -> bool:
        return unit is _ADAPTIVE or unit.dimensionality == self.dimensionless.dimensionality

    def unit(self, expr: sp.Expr) -> Any:
        if expr.is_Number or expr in (sp.pi, sp.E):
            return _ADAPTIVE
        if expr.is_Symbol:
            return self.symbol_units.get(expr, self.dimensionless)
        if isinstance(expr, sp.Add):
            return self._add(expr)
        if isinstance(expr, sp.Mul):
            parts = [self.unit(arg) for arg in expr.args]
            if any(part is _ADAPTIVE for part in parts):
                return _ADAPTIVE
            product = self.dimensionless
            for part in parts:
                product = product * part
            return product
        if isinstance(expr, sp.Pow):
            return self._pow(expr)
        if isinstance(expr, sp.log):
            self.unit(expr.args[0])
            return self.dimensionless
        if isinstance(expr, sp.Abs):
            return self.unit(expr.args[0])
        if isinstance(expr, sp.sign):
            self.unit(expr.args[0])
            return self.dimensionless
        # exp, trigonometric, hyperbolic and any other function: dimensionless arguments
        for argument_expr in expr.args:
            argument = self.unit(argument_expr)
            if not self.is_dimensionless(argument):
                self.problems.append(f"{self.text(expr)} needs a dimensionless argument, but "
                                     f"{self.text(argument_expr)} is in {_name(argument)}")
        if isinstance(expr, sp.exp) and isinstance(expr.args[0], sp.Add) and any(
                term.is_Number for term in expr.args[0].args):
            return _ADAPTIVE  # exp(c + u) = e^c·exp(u): the factor e^c takes the unit its place needs
        return self.dimensionless

    def _add(self, expr: sp.Add) -> Any:
        fixed: list[tuple[sp.Expr, Any]] = []
        for term in expr.args:
            unit = self.unit(term)
            if unit is not _ADAPTIVE:  # adaptive terms take the unit of the others
                fixed.append((term, unit))
        if not fixed:
            return _ADAPTIVE
        first_term, first = fixed[0]
        for term, unit in fixed[1:]:
            if unit.dimensionality != first.dimensionality:
                self.problems.append(f"{self.text(expr)} adds {self.text(term)} (in {_name(unit)}) to "
                                     f"{self.text(first_term)} (in {_name(first)})")
        return first

    def _pow(self, expr: sp.Pow) -> Any:
        base, exponent = expr.args
        base_unit = self.unit(base)
        if exponent.is_Number:
            return _ADAPTIVE if base_unit is _ADAPTIVE else base_unit ** float(exponent)
        exponent_unit = self.unit(exponent)
        if not self.is_dimensionless(exponent_unit):
            self.problems.append(f"{self.text(expr)} has the exponent {self.text(exponent)} in "
                                 f"{_name(exponent_unit)}; an exponent must be dimensionless")
        if not self.is_dimensionless(base_unit):
            self.problems.append(f"{self.text(expr)} raises {self.text(base)} (in {_name(base_unit)}) to a "
                                 f"variable power; the base must be dimensionless")
        return self.dimensionless
