"""The :class:`Selection`: kept columns, the report (every column, why) and a bar chart."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lawfind.exceptions import ConfigError, DataError
from lawfind.run._run import SELECTION_SCHEMA

__all__ = ["Selection", "SELECTION_SCHEMA", "REPORT_COLUMNS"]
#: Columns of :attr:`Selection.report`.
REPORT_COLUMNS = ["feature", "step", "reason", "score", "metric"]
_DECISION_COLUMNS = ["step", "feature", "kept", "score", "reason", "metric"]


def _clean(value: Any) -> Any:
    """JSON-ready: NaN becomes None, numpy scalars become Python numbers."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


@dataclass
class Selection:
    """The result of :func:`lawfind.features.select`.

    Attributes
    ----------
    kept : list of str
        The kept columns, in their original order.
    report : DataFrame
        One row per candidate column: ``feature``; ``step`` ("kept", or the step that
        dropped it); ``reason`` in plain words; ``score`` and the ``metric`` it is in
        (for kept columns, those of the last step).  Kept columns come first.
    decisions : DataFrame
        Every step's decision on every column it saw (``step, feature, kept, score, reason, metric``).
    steps : list of str
        The steps run, in order (empty for ``steps="none"``).
    target : str
    task : {"regression", "classification"}
    n_rows : int
        Rows used.
    dropped_rows : int
        Rows removed because of missing values (``dropna=True``).
    seconds : float
        Wall time.
    params : dict
        Each step's options.
    """

    kept: list[str]
    report: pd.DataFrame
    decisions: pd.DataFrame
    steps: list[str]
    target: str
    task: str
    n_rows: int
    dropped_rows: int = 0
    seconds: float = 0.0
    params: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def dropped(self) -> list[str]:
        """The dropped columns (report order)."""
        return self.report.loc[self.report["step"] != "kept", "feature"].tolist()

    def summary(self) -> str:
        """One line: how many columns were kept, by which steps."""
        counts = self.report.loc[self.report["step"] != "kept", "step"].value_counts()
        parts = ", ".join(f"{n} by {s}" for s, n in counts.items())
        shown = ", ".join(self.kept[:12]) + (", ..." if len(self.kept) > 12 else "")
        return (f"kept {len(self.kept)} of {len(self.report)} features ({shown})"
                + (f"; dropped {parts}" if parts else "") + f" [{self.seconds:.1f} s]")

    # ----------------------------------------------------------------- plot
    def plot(self, ax: Any = None, *, step: str | None = None) -> Any:
        """Bar chart of one step's scores (the last step by default), kept columns in blue.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Drawn on a new figure when None.
        step : str, optional
            Which step's scores to show.

        Returns
        -------
        matplotlib.axes.Axes
        """
        from lawfind.report._style import PALETTE, new_axes, publication_style

        if not self.steps:
            raise ConfigError("no selection step was run (steps='none'): there are no scores to plot")
        step = step or self.steps[-1]
        if step not in self.steps:
            raise ConfigError(f"step {step!r} was not run; the steps were {self.steps}")
        rows = self.decisions[self.decisions["step"] == step].sort_values("score", kind="stable")
        height = max(1.2, 0.16 * len(rows) + 0.6)
        ax = new_axes(ax, figsize=(3.4, min(height, 9.0)))
        with publication_style():
            labels = [str(f).replace("$", r"\$") for f in rows["feature"]]
            scores = rows["score"].fillna(0.0).to_numpy()
            kept = rows["kept"].astype(bool).to_numpy()
            ax.barh(labels, scores, color=[PALETTE[0] if k else PALETTE[1] for k in kept])
            ax.plot(scores[~kept], [labels[i] for i in range(len(labels)) if not kept[i]], "x", color=PALETTE[1],
                    label="dropped")  # visible even at score 0
            ax.set_xlabel(rows["metric"].iloc[0] if len(rows) else "score")
            ax.set_title(f"{step}: {int(kept.sum())} of {len(rows)} kept (blue)")
        return ax

    # ----------------------------------------------------------------- saving
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN scores become null)."""
        return {
            "schema": SELECTION_SCHEMA,
            "target": self.target,
            "task": self.task,
            "steps": list(self.steps),
            "kept": list(self.kept),
            "n_rows": int(self.n_rows),
            "dropped_rows": int(self.dropped_rows),
            "seconds": round(float(self.seconds), 3),
            "params": {k: {p: _clean(v) if isinstance(v, (int, float, str, bool, type(None))) or hasattr(v, "item")
                           else repr(v) for p, v in ps.items()} for k, ps in self.params.items()},
            "report": _records(self.report[REPORT_COLUMNS]),
            "decisions": _records(self.decisions[_DECISION_COLUMNS]),
        }

    @classmethod
    def from_dict(cls, data: Any) -> "Selection":
        """Rebuild a selection from :meth:`to_dict` output.

        Raises
        ------
        DataError
            If ``data`` is not a lawfind selection record.
        """
        if not isinstance(data, dict) or data.get("schema") != SELECTION_SCHEMA:
            found = data.get("schema") if isinstance(data, dict) else type(data).__name__
            raise DataError(f"not a lawfind selection record: schema {found!r}, expected {SELECTION_SCHEMA!r}")
        try:
            report = pd.DataFrame(data["report"], columns=REPORT_COLUMNS)
            decisions = pd.DataFrame(data["decisions"], columns=_DECISION_COLUMNS)
            report["score"] = pd.to_numeric(report["score"]).astype(float)
            decisions["score"] = pd.to_numeric(decisions["score"]).astype(float)
            decisions["kept"] = decisions["kept"].astype(bool)
            return cls(kept=[str(k) for k in data["kept"]], report=report, decisions=decisions,
                       steps=[str(s) for s in data["steps"]], target=str(data["target"]), task=str(data["task"]),
                       n_rows=int(data["n_rows"]), dropped_rows=int(data.get("dropped_rows", 0)),
                       seconds=float(data.get("seconds", 0.0)), params=dict(data.get("params") or {}))
        except KeyError as exc:
            raise DataError(f"the selection record lacks the field {exc.args[0]!r}") from None
        except (TypeError, ValueError) as exc:
            raise DataError(f"the selection record is damaged: {exc}") from None
