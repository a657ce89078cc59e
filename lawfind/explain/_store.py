"""The ``compare/`` folder of a run: written atomically by :func:`lawfind.compare`, read back for reports."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lawfind.exceptions import RunError
from lawfind.run._atomic import replace_dir_atomic, umask_mode, write_json_atomic, write_text_atomic

__all__ = ["StoredComparison", "write_comparison", "read_comparison", "comparison_figures", "COMPARE_SCHEMA"]

COMPARE_SCHEMA = "lawfind.compare/1"
_VALUE, _SHAP = "value: ", "shap: "


@dataclass
class StoredComparison:
    """What the figures and the report need from a comparison (from a result or a ``compare/`` folder).

    Attributes
    ----------
    info : dict
        ``comparison.json``: config, rank agreement, ignored descriptors, explanation facts.
    baselines, importance, disagreements : DataFrame
    feature_names : list of str
    data : ndarray of shape (n_samples, n_features)
        The explained rows.
    law_values, model_values : ndarray of shape (n_samples, n_features)
        SHAP values of the law and of the black box.
    curves : dict of str to (grid, pd)
        The law's centred partial dependence per shown feature.
    path : Path or None
    """

    info: dict[str, Any]
    baselines: pd.DataFrame
    importance: pd.DataFrame
    disagreements: pd.DataFrame
    feature_names: list[str]
    data: np.ndarray
    law_values: np.ndarray
    model_values: np.ndarray
    curves: dict[str, tuple[np.ndarray, np.ndarray]]
    units: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    @property
    def model(self) -> str:
        """The explained black box."""
        return str(self.info["config"]["explained_model"])

    @property
    def law_index(self) -> int:
        """Index of the compared law on the run's front."""
        return int(self.info["config"]["law_index"])

    @property
    def same_scale(self) -> bool:
        """True when the law and the black box explain the same quantity."""
        return bool(self.info["comparison"]["same_scale"])

    def figures(self) -> dict[str, Any]:
        """Matplotlib figures by file stem (see :func:`comparison_figures`)."""
        return comparison_figures(self)


def _stored(result: Any) -> StoredComparison:
    """A :class:`~lawfind.explain.CompareResult` in the form the figures use."""
    if isinstance(result, StoredComparison):
        return result
    return StoredComparison(
        info=_info(result), baselines=result.baselines, importance=result.comparison.importance,
        disagreements=result.comparison.disagreements, feature_names=list(result.law_explanation.feature_names),
        data=result.law_explanation.data, law_values=result.law_explanation.values,
        model_values=result.model_explanation.values, curves=dict(result.partial_dependence), units=result.units,
        path=result.path)


def comparison_figures(source: Any) -> dict[str, Any]:
    """The figures of a comparison: ``importance``, ``shap_summary_black_box``, ``shap_summary_law`` and
    ``dependence_<k>`` for the k-th shown feature (named in ``comparison.json``)."""
    from lawfind.report import ShapArrays, plot_importance_comparison, plot_shap_dependence, plot_shap_summary

    stored = _stored(source)
    model = stored.model
    figures = {"importance": plot_importance_comparison(stored.importance, model_label=model).figure}
    figures["shap_summary_black_box"] = plot_shap_summary(
        ShapArrays(stored.model_values, stored.data, stored.feature_names, model=model)).figure
    figures["shap_summary_law"] = plot_shap_summary(
        ShapArrays(stored.law_values, stored.data, stored.feature_names, model="law")).figure
    for k, feature in enumerate(stored.info["dependence_features"]):
        j = stored.feature_names.index(feature)
        ax = plot_shap_dependence(stored.data[:, j], stored.model_values[:, j], feature=feature, model=model,
                                  law_curve=stored.curves.get(feature), twin=not stored.same_scale,
                                  unit=stored.units.get(feature))
        figures[f"dependence_{k}"] = ax.figure
    return figures


def _info(result: Any) -> dict[str, Any]:
    return {
        "schema": COMPARE_SCHEMA,
        "task": result.task,
        "config": result.config,
        "law": result.law.to_dict(),
        "comparison": result.comparison.to_dict(),
        "dependence_features": list(result.dependence_features),
        "units": dict(result.units),
        "seconds": {k: round(float(v), 3) for k, v in result.seconds.items()},
        "summary": result.summary(),
    }


def _shap_frame(stored: StoredComparison, rows: np.ndarray, law_output: np.ndarray, law_base: np.ndarray,
                model_output: np.ndarray, model_base: np.ndarray) -> pd.DataFrame:
    parts = []
    for label, values, output, base in (("law", stored.law_values, law_output, law_base),
                                        (stored.model, stored.model_values, model_output, model_base)):
        part = pd.DataFrame({"model": label, "row": rows, "output": output, "base_value": base})
        for j, name in enumerate(stored.feature_names):
            part[_VALUE + name] = stored.data[:, j]
        for j, name in enumerate(stored.feature_names):
            part[_SHAP + name] = values[:, j]
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _markdown_table(frame: pd.DataFrame) -> list[str]:
    from lawfind.export._tables import format_number
    from lawfind.report import markdown_escape

    def cell(value: Any) -> str:
        return markdown_escape(format_number(value.item() if hasattr(value, "item") else value)).replace("\n", " ")

    lines = ["| " + " | ".join(markdown_escape(str(c)) for c in frame.columns) + " |",
             "|" + "|".join("---" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return lines


def _command(config: dict[str, Any]) -> str:
    """The ``lawfind compare`` command that repeats a comparison with this config."""
    parts = ["lawfind compare RUN_DIR", f"--cv {config['cv']}", f"--seed {config['seed']}"]
    if config.get("models"):
        parts.append("--models '" + ",".join(config["models"]) + "'")
    if config.get("explained_model"):
        parts.append(f"--explain '{config['explained_model']}'")
    for key, option in (("law_index", "--law"), ("background_rows", "--background"),
                        ("explained_rows", "--max-rows"), ("top", "--top")):
        if config.get(key) is not None:
            parts.append(f"{option} {config[key]}")
    return " ".join(parts)


def _markdown(stored: StoredComparison, figure_names: list[str]) -> str:
    from lawfind.report import markdown_escape

    info = stored.info
    lines = [f"# Law versus black box: {markdown_escape(info['law']['target'])}", "",
             markdown_escape(info["summary"]), "",
             f"Command: `{_command(info['config'])}`; "
             f"SHAP: {info['comparison']['law']['method']} (law) and {info['comparison']['black_box']['method']} "
             f"({markdown_escape(stored.model)}), interventional, {info['config']['background_rows']} background "
             f"rows, {info['config']['explained_rows']} explained rows.", "",
             "## Cross-validated scores (same folds)", "", *_markdown_table(stored.baselines), "",
             "## Importance (mean |SHAP|)", "", *_markdown_table(stored.importance), ""]
    for name in figure_names:
        lines += [f"![{name}]({name}.png)", ""]
    lines += ["## Rows where the law and the black box disagree most", "", *_markdown_table(stored.disagreements)]
    return "\n".join(lines) + "\n"


def write_comparison(result: Any, run_dir: str | os.PathLike[str]) -> Path:
    """Write ``<run_dir>/compare/`` atomically (a reader sees the old folder or the new one).

    Files: ``baselines.csv``, ``importance.csv``, ``disagreements.csv``, ``shap_values.csv``
    (both models, one row per explained row), ``partial_dependence.csv``, ``comparison.json``,
    ``summary.md`` and the figures as PNG.
    """
    from lawfind.report import figure_bytes

    run_dir = Path(run_dir)
    target = run_dir / "compare"
    stored = _stored(result)
    staging = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=".compare.", suffix=".tmp", dir=run_dir))
        os.chmod(staging, umask_mode(0o777))
        stored.baselines.to_csv(staging / "baselines.csv", index=False)
        stored.importance.to_csv(staging / "importance.csv", index=False)
        stored.disagreements.to_csv(staging / "disagreements.csv", index=False)
        law, model = result.law_explanation, result.model_explanation
        _shap_frame(stored, law.index, law.output, law.base_values, model.output, model.base_values).to_csv(
            staging / "shap_values.csv", index=False, float_format="%.17g")
        curves = [pd.DataFrame({"feature": f, "value": grid, "law_pd": values}) for f, (grid, values)
                  in stored.curves.items()]
        pd.concat(curves or [pd.DataFrame(columns=["feature", "value", "law_pd"])], ignore_index=True).to_csv(
            staging / "partial_dependence.csv", index=False, float_format="%.17g")
        figures = comparison_figures(stored)
        for name, figure in figures.items():
            (staging / f"{name}.png").write_bytes(figure_bytes(figure, "png"))
        info = dict(stored.info, files=sorted(p.name for p in staging.iterdir()) + ["comparison.json", "summary.md"])
        write_json_atomic(staging / "comparison.json", info)
        write_text_atomic(staging / "summary.md", _markdown(stored, list(figures)))
        replace_dir_atomic(staging, target)
    except BaseException as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise RunError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
        raise
    return target


def read_comparison(run_dir: str | os.PathLike[str]) -> StoredComparison | None:
    """The comparison saved in ``<run_dir>/compare/``, or None when the run has none.

    Raises
    ------
    RunError
        If the folder exists but is damaged.
    """
    folder = Path(run_dir) / "compare"
    if not (folder / "comparison.json").is_file():
        return None
    try:
        info = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
        if not isinstance(info, dict) or info.get("schema") != COMPARE_SCHEMA:
            raise RunError(f"{str(folder / 'comparison.json')!r} is not a {COMPARE_SCHEMA!r} file")
        tables = {name: pd.read_csv(folder / f"{name}.csv") for name in
                  ("baselines", "importance", "disagreements", "shap_values", "partial_dependence")}
        shap = tables["shap_values"]
        names = [c[len(_VALUE):] for c in shap.columns if c.startswith(_VALUE)]
        law_rows = shap[shap["model"] == "law"]
        model_rows = shap[shap["model"] != "law"]
        curves = {str(f): (g["value"].to_numpy(float), g["law_pd"].to_numpy(float))
                  for f, g in tables["partial_dependence"].groupby("feature", sort=False)}
        return StoredComparison(
            info=info, baselines=tables["baselines"], importance=tables["importance"],
            disagreements=tables["disagreements"], feature_names=names,
            data=law_rows[[_VALUE + n for n in names]].to_numpy(float),
            law_values=law_rows[[_SHAP + n for n in names]].to_numpy(float),
            model_values=model_rows[[_SHAP + n for n in names]].to_numpy(float),
            curves=curves, units=dict(info.get("units") or {}), path=folder)
    except (OSError, ValueError, KeyError, pd.errors.ParserError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RunError(f"the comparison in {str(folder)!r} is damaged ({reason}); rerun 'lawfind compare'") from None
