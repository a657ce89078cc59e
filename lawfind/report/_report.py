"""Build the report of a run from results computed elsewhere (no fitting happens here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lawfind.data import Dataset
from lawfind.exceptions import ConfigError, RunError
from lawfind.export._latex import latex_equation
from lawfind.export._tables import read_baselines
from lawfind.export._uncertain import constants_table, law_text
from lawfind.law import Law
from lawfind.report._compare import comparison_section
from lawfind.report._document import Code, FigureBlock, Paragraph, Report, Section, Table
from lawfind.report._figures import (
    plot_front_variation, plot_pareto_front, plot_parity, plot_residuals, plot_versus_feature,
)
from lawfind.report._methods import methods_paragraph
from lawfind.report._references import ReferenceLike, as_references, reference_scores
from lawfind.report._shap import ShapArrays, plot_law_dependence, plot_shap_summary
from lawfind.report._style import PALETTE
from lawfind.run import Run
from lawfind.uncertainty import CoefficientIntervals, StabilityResult

__all__ = ["build_report"]


def _metrics_sentence(law: Law, n_rows: int) -> str:
    keys = ("r2", "rmse", "mae") if law.decision is None else ("accuracy", "balanced_accuracy")
    shown = {"r2": "R²", "rmse": "RMSE", "mae": "MAE", "accuracy": "accuracy", "balanced_accuracy": "balanced accuracy"}
    values = ", ".join(f"{shown[k]} {law.metrics[k]:.4g}" for k in keys if k in law.metrics)
    return f"Complexity {law.complexity}; {values} on the {n_rows} training rows."


def _law_section(run: Run, index: int, law: Law, data: Dataset, intervals: Sequence[CoefficientIntervals],
                 symbol_names: Mapping[str, str] | None) -> Section:
    first = intervals[0] if intervals else None
    picked = "the law picked by the run's rule" if index == run.front.best_index else "not the picked law"
    blocks: list = [
        Paragraph(f"Law {index} of the Pareto front ({picked}). {_metrics_sentence(law, data.n_rows)}"),
        Code(f"{law.target} = {law_text(law, first)}"),
    ]
    check = law.check_units(data.units)
    if check.status != "unchecked":
        blocks.append(Paragraph(f"Units check: {check.summary()}"
                                + (" — the law's form depends on the units of the data." if not check.ok else ".")))
    if intervals:
        blocks.append(Table(constants_table(law, intervals),
                            "Constants (c0, c1, … in the order of the law's float constants), ± from "
                            + first.describe()))
    elif law.decision is None:
        blocks.append(Paragraph("No coefficient intervals were computed for this law."))
    blocks.append(Code(latex_equation(law, first, units=data.units, symbol_names=symbol_names), "latex"))
    return Section("Law", tuple(blocks))


def _references_section(law: Law, data: Dataset, references: Sequence[ReferenceLike],
                        intervals: Sequence[CoefficientIntervals]) -> Section:
    if law.decision is not None:
        raise ConfigError("reference laws can only be compared with regression laws")
    refs = as_references(references)
    laws = {"this work (lawfind)": law, **{r.label: r.to_law(list(data.features), data.target) for r in refs}}
    table = reference_scores(laws, data.frame, data.target)
    first = intervals[0] if intervals else None
    table.loc[0, "equation"] = f"{law.target} = {law_text(law, first)}"
    table = table.rename(columns={"r2": "R²", "rmse": "RMSE", "mae": "MAE"})
    blocks: list = [Table(table, f"The law next to published relations, all scored on the same {data.n_rows} rows")]
    used = {f for item in laws.values() for f in item.features}
    if len(used) == 1:
        feature = used.pop()
        curves = {label: item.predict(data.frame) for label, item in laws.items()}
        ax = plot_versus_feature(data.frame[feature], data.frame[data.target], curves, x_name=feature,
                                 x_unit=data.units.get(feature), y_name=data.target, y_unit=data.units.get(data.target))
        blocks.append(FigureBlock("references", ax.figure, f"{data.target} against {feature}: data and laws"))
    else:
        ax = None
        for k, (label, item) in enumerate(laws.items()):
            ax = plot_parity(data.y, item.predict(data.frame), ax=ax, name=data.target,
                             unit=data.units.get(data.target), label=label, color=PALETTE[k % len(PALETTE)])
        blocks.append(FigureBlock("references", ax.figure, "Parity of the law and the published relations"))
    return Section("Comparison with published laws", tuple(blocks))


def _fit_section(law: Law, data: Dataset) -> Section:
    unit = data.units.get(data.target)
    predicted = law.predict(data.frame)
    parity = plot_parity(data.y, predicted, name=data.target, unit=unit)
    residuals = plot_residuals(data.y, predicted, name=data.target, unit=unit)
    return Section("Fit on the training data", (
        FigureBlock("parity", parity.figure, "Predicted against observed values"),
        FigureBlock("residuals", residuals.figure, "Residuals against predicted values"),
    ))


def _front_section(run: Run) -> Section:
    frame = run.front.to_frame().rename(columns={"r2": "R²", "rmse": "RMSE", "nrmse": "NRMSE",
                                                  "balanced_accuracy": "balanced accuracy"})
    ax = plot_pareto_front(run.front)
    return Section("Pareto front", (
        Table(frame, "Every law on the front (picked = chosen by the run's rule)"),
        FigureBlock("pareto_front", ax.figure, "Error against complexity; the picked law is ringed"),
    ))


def _stability_section(stability: StabilityResult) -> Section:
    table = stability.structures()
    ax = plot_front_variation(stability)
    return Section("Stability", (
        Paragraph(stability.summary()),
        Table(table, "How often each law structure (equal up to constants) was found on, and picked from, the "
                     "resampled fronts; reference_index is its place on the run's front (-1: not on it)"),
        Table(stability.front_spread(), "How the front varies: per complexity, the resampled fronts that reach it "
                                        "and the spread of their errors (NRMSE on each resample)"),
        FigureBlock("front_variation", ax.figure, "The run's front over the resampled fronts"),
    ))


def _shap_section(shap: ShapArrays, law: Law, units: Mapping[str, str]) -> Section:
    blocks: list = [FigureBlock("shap_summary", plot_shap_summary(shap).figure, f"SHAP summary of the {shap.model}")]
    for feature in law.features:
        if feature in shap.feature_names:
            ax = plot_law_dependence(shap, feature, unit=units.get(feature))
            blocks.append(FigureBlock(f"dependence_{law.features.index(feature)}", ax.figure,
                                      f"Dependence on {feature}: {shap.model} (SHAP) and the law"))
    return Section("SHAP", tuple(blocks))


def _saved_comparison(run: Run, index: int):
    """The run's ``compare/`` results (``lawfind compare``) when they are about law ``index``."""
    if run.path is None:
        return None
    from lawfind.explain import read_comparison

    stored = read_comparison(run.path)
    return stored if stored is not None and stored.law_index == index else None


def build_report(
    run: Run,
    data: Dataset,
    *,
    law: int | None = None,
    intervals: Sequence[CoefficientIntervals] = (),
    stability: StabilityResult | None = None,
    references: Sequence[ReferenceLike] = (),
    shap: ShapArrays | None = None,
    symbol_names: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Report:
    """The report of one law of a run: law and constants, references, fit, front, stability, methods.

    Parameters
    ----------
    run : Run
    data : Dataset
        The run's training data (checked against the hash in the run), e.g. from
        :func:`lawfind.uncertainty.open_training_data`.
    law : int, optional
        Index on the front; the picked law by default.
    intervals : sequence of CoefficientIntervals, default=()
        For that law; the first one gives the ``±`` shown in equations.
    stability : StabilityResult, optional
        Adds the stability section.
    references : sequence of ReferenceLaw or (label, expression[, aliases]), default=()
        Published laws, shown with R²/RMSE on the same data.
    shap : ShapArrays, optional
        Adds the SHAP section (skipped when None).
    symbol_names : mapping of column name to LaTeX, optional
    title : str, optional

    Returns
    -------
    Report
        Sections "Law", "Comparison with published laws" (with references), "Fit on the
        training data" (regression), "Pareto front", "Stability", "Baselines" (when the run
        folder has ``baselines.csv``), "SHAP", "Law versus black box" (when ``lawfind compare``
        saved a comparison of this law in the run folder) and "Methods".
    """
    index = run.front.best_index if law is None else law
    chosen = run.front.law(index)
    index = index % len(run.front)
    if data.data_hash() != run.data.get("hash"):
        raise RunError("the data given to the report are not the run's training data (their hash differs)")
    for item in intervals:
        if item.law != chosen:
            raise ConfigError(f"intervals for {item.law!r} were given for law {index}, {chosen!r}")
    sections = [_law_section(run, index, chosen, data, intervals, symbol_names)]
    if references:
        sections.append(_references_section(chosen, data, references, intervals))
    if chosen.decision is None:
        sections.append(_fit_section(chosen, data))
    sections.append(_front_section(run))
    if stability is not None:
        sections.append(_stability_section(stability))
    baselines = read_baselines(run.path)
    if baselines is not None:
        sections.append(Section("Baselines", (Table(baselines, "Black-box baselines (from baselines.csv)"),)))
    if shap is not None:
        sections.append(_shap_section(shap, chosen, data.units))
    compared = _saved_comparison(run, index)
    if compared is not None:
        sections.append(comparison_section(compared))
    sections.append(Section("Methods", (Paragraph(methods_paragraph(run, intervals=intervals,
                                                                     stability=stability)),)))
    return Report(title or f"lawfind report: {run.data.get('target', chosen.target)}", sections)

