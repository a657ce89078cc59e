"""The :class:`Law`: one closed-form model, with SymPy at its centre."""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import sympy as sp

from lawfind.exceptions import DataError, ExpressionError
from lawfind.law._complexity import complexity as _complexity
from lawfind.law._parse import INTERNAL_NAME, internal_symbol, parse_expression
from lawfind.law._printing import ExactNumPyPrinter, expression_string, latex_name
from lawfind.law._refit import evaluate, float_constants

if TYPE_CHECKING:  # pragma: no cover
    from lawfind.law._units import UnitsCheck

__all__ = ["Law", "Decision", "LAW_SCHEMA", "DECISION_METRICS"]

LAW_SCHEMA = "lawfind.law/1"
#: What a decision's threshold can maximise (and its law is ranked by).
DECISION_METRICS = ("balanced_accuracy", "accuracy")


def _display_name(name: str) -> str:
    """A column name as written, quoted with backticks when it is not an identifier."""
    if name.isidentifier() and not keyword.iskeyword(name):
        return name
    return "`" + name.replace("`", "'") + "`"


@dataclass(frozen=True)
class Decision:
    """Turns a law's value into a class label: ``above`` if value > threshold else ``below``.

    A 1-D classification law is a descriptor plus a threshold; a 2-D one is a linear
    separator ``w0 + w1*d1 + w2*d2`` with threshold 0.  Labels keep the type they had
    in the data (str, int or float).  ``metric`` is what the threshold was chosen to
    maximise, and what ranks the law on a Pareto front (:attr:`Law.error`).
    """

    threshold: float
    below: Any
    above: Any
    metric: str = "balanced_accuracy"

    def __post_init__(self) -> None:
        if self.metric not in DECISION_METRICS:
            raise ExpressionError(f"a decision's metric must be one of {list(DECISION_METRICS)}, got {self.metric!r}")

    def apply(self, values: np.ndarray) -> np.ndarray:
        """Class labels for law values (NaN values get the ``below`` label)."""
        labels = np.array([self.below, self.above], dtype=object)
        out = labels[(np.asarray(values, dtype=float) > self.threshold).astype(int)]
        if all(isinstance(v, (bool, np.bool_)) for v in (self.below, self.above)):
            return out.astype(bool)
        if all(isinstance(v, (int, np.integer)) for v in (self.below, self.above)):
            return out.astype(int)
        if all(isinstance(v, (float, np.floating)) for v in (self.below, self.above)):
            return out.astype(float)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"threshold": float(self.threshold), "below": _plain(self.below), "above": _plain(self.above),
                "metric": self.metric}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Decision":
        """Rebuild from :meth:`to_dict` output."""
        if not isinstance(data, Mapping) or not {"threshold", "below", "above"} <= set(data):
            raise ExpressionError("a decision must have 'threshold', 'below' and 'above'")
        for key in ("below", "above"):
            if not isinstance(data[key], (str, int, float, bool)):
                raise ExpressionError(f"decision label {key!r} must be a string, a number or a boolean")
        # runs written before decisions recorded their metric ranked by balanced accuracy
        return cls(float(data["threshold"]), data["below"], data["above"],
                   str(data.get("metric", "balanced_accuracy")))


def _written_form(expr: sp.Expr) -> sp.Expr:
    """The tree that reading ``expr``'s written form gives back (what a saved law is when reopened).

    SymPy can build trees that print the same as another tree, such as ``Mul(2, x + 1)``
    inside a power, which reads back as ``2*x + 2``; a law holds the tree it reads back,
    so that saving and reopening it gives an identical law.  Expressions that lawfind
    cannot read back (functions outside the parser's whitelist) are kept as they are.
    """
    current = expr
    for _ in range(3):  # one step reaches the fixed point in practice
        try:
            again = parse_expression(expression_string(current))
        except ExpressionError:
            return current
        if again == current:
            return current
        current = again
    return current


def _first_non_number(values: Any) -> str:
    """Where the first value that is not a number sits, e.g. ``"'abc' in row 3"``."""
    for position, value in enumerate(list(values)):
        try:
            float(value)
        except (TypeError, ValueError):
            return f"{value!r} at position {position}"
    return "a value that is not a number"


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass(frozen=True, eq=False)
class Law:
    """A closed-form law ``target = f(features)``.

    The expression is a SymPy expression over safe internal symbols ``x0``, ``x1``...
    (``x{i}`` is feature column *i* of the data the law was found on); ``variables``
    maps each internal name to the column name as the user wrote it.  Every output
    (text, LaTeX, Python source, JSON) is produced from the SymPy expression.

    Parameters
    ----------
    expression : sympy.Expr
        The law over internal symbols.
    variables : dict of str to str
        Internal symbol name -> column name, for every symbol in ``expression``.
    target : str, default="y"
        Name of the predicted column.
    metrics : dict of str to float, optional
        Scores on the training data (and cross-validation when computed).
    origin : str, default=""
        Which engine (and setting) produced the law.
    decision : Decision, optional
        For classification: how the law's value becomes a class label.

    Examples
    --------
    >>> import pandas as pd
    >>> law = Law.from_string("3.2*x0*x1/x2**2", {"x0": "E", "x1": "T (K)", "x2": "λ"})
    >>> law.equation()
    '3.2*E*`T (K)`/λ**2'
    >>> float(law.predict(pd.DataFrame({"E": [1.0], "T (K)": [2.0], "λ": [2.0]}))[0])
    1.6
    """

    expression: sp.Expr
    variables: dict[str, str]
    target: str = "y"
    metrics: dict[str, float] = field(default_factory=dict)
    origin: str = ""
    decision: Decision | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.expression, sp.Expr):
            raise ExpressionError(f"a Law needs a SymPy expression, got {type(self.expression).__name__}")
        # constants are IEEE doubles: what predict computes with and what JSON can hold exactly
        doubles = {f: sp.Float(float(f)) for f in self.expression.atoms(sp.Float) if sp.Float(float(f)) != f}
        if doubles:
            object.__setattr__(self, "expression", self.expression.xreplace(doubles))
        for name in self.variables:
            if not INTERNAL_NAME.match(name):
                raise ExpressionError(f"internal variable names are x0, x1, ...; got {name!r}")
        unknown = sorted(s.name for s in self.expression.free_symbols if s.name not in self.variables)
        if unknown:
            raise ExpressionError(
                f"the expression uses {unknown} but the variables only map {sorted(self.variables)}"
            )
        written = _written_form(self.expression)
        if written is not self.expression:
            object.__setattr__(self, "expression", written)
        used = {s.name for s in self.expression.free_symbols}
        object.__setattr__(self, "variables", {k: v for k, v in sorted(self.variables.items(), key=lambda kv: int(kv[0][1:])) if k in used})

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_string(cls, text: str, variables: Mapping[str, str], **kwargs: Any) -> "Law":
        """Build a law from an expression string over internal names (safe parser)."""
        return cls(parse_expression(text), dict(variables), **kwargs)

    # ----------------------------------------------------------------- properties
    @property
    def symbols(self) -> list[sp.Symbol]:
        """The internal symbols the law uses, ordered by column index."""
        return [internal_symbol(int(name[1:])) for name in self.variables]

    @property
    def features(self) -> list[str]:
        """The column names the law needs, as the user wrote them."""
        return list(self.variables.values())

    @property
    def complexity(self) -> int:
        """Number of nodes of the expression tree (see :func:`lawfind.law.complexity`)."""
        return _complexity(self.expression)

    @property
    def constants(self) -> list[float]:
        """The fitted floating-point constants, in a stable order."""
        return [float(c) for c in float_constants(self.expression)]

    def sympy(self) -> sp.Expr:
        """The expression over symbols named exactly as the columns."""
        return self.expression.xreplace(
            {internal_symbol(int(k[1:])): sp.Symbol(v, real=True) for k, v in self.variables.items()}
        )

    # ----------------------------------------------------------------- prediction
    def _columns(self, data: Any) -> np.ndarray:
        if isinstance(data, np.ndarray):
            if data.ndim != 2:
                raise DataError(f"predict needs a 2-D array (rows x features), got shape {data.shape}")
            needed = [int(k[1:]) for k in self.variables]
            if needed and max(needed) >= data.shape[1]:
                raise DataError(
                    f"the law uses feature column {max(needed)} but the array has {data.shape[1]} columns"
                )
            return np.array([np.asarray(data[:, i], dtype=float) for i in needed]).reshape(len(needed), data.shape[0])
        if isinstance(data, pd.DataFrame) or isinstance(data, Mapping):
            columns = list(data.keys())
            missing = [name for name in self.features if name not in columns]
            if missing:
                raise DataError(
                    f"the data lack the column(s) {missing} that the law {self.equation()!r} needs; "
                    f"available columns: {[str(c) for c in columns][:30]}"
                )
            arrays = []
            for name in self.features:
                try:
                    arrays.append(np.asarray(data[name], dtype=float))
                except (TypeError, ValueError):
                    raise DataError(f"column {name!r} is not numeric ({_first_non_number(data[name])}); the law "
                                    "needs numbers there") from None
            if not arrays:
                n = len(data) if isinstance(data, pd.DataFrame) else len(next(iter(data.values()), []))
                return np.empty((0, n))
            return np.array(arrays)
        raise DataError(f"predict takes a DataFrame, a mapping of column arrays or a 2-D array, not {type(data).__name__}")

    @property
    def task(self) -> str:
        """``"classification"`` when the law has a decision, else ``"regression"``."""
        return "regression" if self.decision is None else "classification"

    @property
    def error(self) -> float:
        """The error the Pareto front ranks by: NRMSE, or for classifiers 1 − the decision's
        metric (balanced accuracy unless the search maximised accuracy)."""
        if self.decision is None:
            return float(self.metrics.get("nrmse", np.inf))
        return 1.0 - float(self.metrics.get(self.decision.metric, -np.inf))

    def predict(self, data: Any) -> np.ndarray:
        """Evaluate the law on ``data``.

        Parameters
        ----------
        data : DataFrame, mapping of column name to array, or 2-D ndarray
            Columns are looked up by the names in :attr:`features`; a 2-D array is
            read by column index (``x{i}`` is column ``i``).

        Returns
        -------
        ndarray of shape (n_samples,)
            Values of the law; class labels when the law has a :class:`Decision`
            (its raw values are :meth:`decision_function`).
        """
        values = self.decision_function(data)
        return values if self.decision is None else self.decision.apply(values)

    def decision_function(self, data: Any) -> np.ndarray:
        """The law's numeric value on ``data`` (before any decision threshold)."""
        columns = self._columns(data)
        if not self.variables:
            n = columns.shape[1]
            return np.full(n, float(self.expression))
        return evaluate(self.expression, self.symbols, columns)

    # ----------------------------------------------------------------- text outputs
    def equation(self, precision: int | None = None) -> str:
        """The law as text in the user's column names (backticks quote odd names).

        Parameters
        ----------
        precision : int, optional
            Significant digits of the constants; all digits when omitted.
        """
        expr = self._rounded(precision) if precision else self.expression
        text = expression_string(expr) if precision is None else str(expr)
        if not self.variables:
            return text
        # one pass, so a column named like an internal symbol is never replaced twice
        pattern = re.compile(r"\b(" + "|".join(sorted(self.variables, key=len, reverse=True)) + r")\b")
        return pattern.sub(lambda m: _display_name(self.variables[m.group(1)]), text)

    def _rounded(self, precision: int) -> sp.Expr:
        return self.expression.xreplace({f: sp.Float(float(f), precision) for f in self.expression.atoms(sp.Float)})

    def latex(self, precision: int = 4, symbol_names: Mapping[str, str] | None = None) -> str:
        """LaTeX of the right-hand side, with column names typeset (Greek, subscripts, escaping).

        Parameters
        ----------
        precision : int, default=4
            Significant digits of the constants.
        symbol_names : mapping of column name to LaTeX, optional
            Override the typesetting of some columns.
        """
        overrides = dict(symbol_names or {})
        names = {
            internal_symbol(int(k[1:])): overrides.get(v, latex_name(v)) for k, v in self.variables.items()
        }
        return sp.latex(self._rounded(precision), symbol_names=names)

    def python_source(self, function_name: str = "predict") -> str:
        """Standalone Python source (NumPy only) with ``predict(data)``.

        ``data`` is any mapping from column name to array (a DataFrame works).  The
        source reproduces :meth:`predict` exactly: constants keep all their digits.
        """
        if not function_name.isidentifier() or keyword.iskeyword(function_name):
            raise ExpressionError(f"function_name must be a Python identifier, got {function_name!r}")
        printer = ExactNumPyPrinter({"fully_qualified_modules": True})
        body = printer.doprint(self.expression)
        lines = [
            '"""Law found by lawfind: ' + self.target.replace('"""', "'''") + " = " + self.equation(6).replace('"""', "'''") + '"""',
            "import numpy",
            "",
            "",
            f"def {function_name}(data):",
            f'    """Predict {self.target!r} from a mapping of column name to array (e.g. a DataFrame)."""',
        ]
        for name, column in self.variables.items():
            lines.append(f"    {name} = numpy.asarray(data[{column!r}], dtype=float)")
        if self.variables:
            first = next(iter(self.variables))
            lines.append(f"    return numpy.broadcast_to(numpy.asarray({body}, dtype=float), {first}.shape).copy()")
        else:
            lines.append(f"    return numpy.full(len(data[next(iter(data))]), float({body}))")
        return "\n".join(lines) + "\n"

    # ----------------------------------------------------------------- serialisation
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; :meth:`from_dict` rebuilds an identical law."""
        return {
            "schema": LAW_SCHEMA,
            "expression_internal": expression_string(self.expression),
            "variables": dict(self.variables),
            "target": self.target,
            "expression": self.equation(),
            "latex": self.latex(),
            "complexity": self.complexity,
            "metrics": {k: float(v) for k, v in self.metrics.items()},
            "origin": self.origin,
            **({"decision": self.decision.to_dict()} if self.decision is not None else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Law":
        """Rebuild a law written by :meth:`to_dict`; the expression goes through the safe parser."""
        if not isinstance(data, Mapping):
            raise ExpressionError(f"a law entry must be a JSON object, got {type(data).__name__}")
        if data.get("schema") != LAW_SCHEMA:
            raise ExpressionError(f"law entry has schema {data.get('schema')!r}; expected {LAW_SCHEMA!r}")
        try:
            text = data["expression_internal"]
            variables = data["variables"]
        except KeyError as exc:
            raise ExpressionError(f"law entry lacks the field {exc.args[0]!r}") from None
        if not isinstance(variables, Mapping) or not all(isinstance(v, str) for v in variables.values()):
            raise ExpressionError("law entry field 'variables' must map x0, x1, ... to column names")
        metrics = data.get("metrics", {}) or {}
        if not isinstance(metrics, Mapping):
            raise ExpressionError("law entry field 'metrics' must be an object")
        return cls(
            parse_expression(text),
            dict(variables),
            target=str(data.get("target", "y")),
            metrics={str(k): float(v) for k, v in metrics.items()},
            origin=str(data.get("origin", "")),
            decision=Decision.from_dict(data["decision"]) if data.get("decision") is not None else None,
        )

    def with_metrics(self, metrics: Mapping[str, float]) -> "Law":
        """A copy of the law with ``metrics`` merged in."""
        return Law(self.expression, dict(self.variables), self.target, {**self.metrics, **metrics}, self.origin,
                   self.decision)

    def with_decision(self, decision: Decision | None) -> "Law":
        """A copy of the law with another decision rule (e.g. a threshold refit on other rows)."""
        return Law(self.expression, dict(self.variables), self.target, dict(self.metrics), self.origin, decision)

    def check_units(self, units: Mapping[str, str | None] | None) -> "UnitsCheck":
        """Check that the law's form does not depend on the units of its columns.

        See :func:`lawfind.law.check_units`; ``units`` maps column names to pint units
        (``run.data["units"]``).  Returns a :class:`~lawfind.law.UnitsCheck`.

        Examples
        --------
        >>> law = Law.from_string("1.2*exp(x0)", {"x0": "T"}, target="y")
        >>> law.check_units({"T": "K"}).problems
        ('exp(T) needs a dimensionless argument, but T is in kelvin',)
        """
        from lawfind.law._units import check_units

        return check_units(self, units)

    def same_structure(self, other: "Law") -> bool:
        """True if both laws are equal up to the values of their float constants."""
        def skeleton(law: Law) -> sp.Expr:
            return law.expression.xreplace({f: sp.Symbol("_c") for f in law.expression.atoms(sp.Float)})
        return self.variables == other.variables and skeleton(self) == skeleton(other)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Law):
            return NotImplemented
        return (
            self.expression == other.expression
            and self.variables == other.variables
            and self.target == other.target
            and self.decision == other.decision
        )

    def __hash__(self) -> int:
        return hash((self.expression, tuple(self.variables.items()), self.target))

    def __repr__(self) -> str:
        return f"Law({self.target} = {self.equation(6)}, complexity={self.complexity})"
