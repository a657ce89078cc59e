"""The case-study registry and runner: each study writes one output folder, atomically."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lawfind.exceptions import ConfigError, RunError

if TYPE_CHECKING:
    from lawfind.parallel import Executor

__all__ = ["CaseStudy", "CaseStudyResult", "Context", "register", "get_case_study", "list_case_studies",
           "run_case_study", "read_headline", "HEADLINE_FILE", "SUMMARY_FILE", "DEFAULT_ROOT"]

#: Numbers of a study (``headline.json``) and its short Markdown summary (``summary.md``).
HEADLINE_FILE = "headline.json"
SUMMARY_FILE = "summary.md"
#: Where ``run_case_study`` writes when no ``out`` is given: ``lawfind_runs/case_studies/<name>``.
DEFAULT_ROOT = Path("lawfind_runs") / "case_studies"


@dataclass
class Context:
    """What a study function gets: where to write, how hard to try, and a logger.

    Attributes
    ----------
    out : Path
        The (staging) folder to write into; it becomes the output folder when the study ends.
    quick : bool
        Small budgets (the CI smoke run: well under a minute on 2 cores).
    seed : int
    log : callable
        ``log(message)``: one progress line (printed by the CLI, silent by default).
    executor : Executor or None
        Where independent searches (the outer folds of nested cross-validation) run;
        serially when None (see :mod:`lawfind.parallel`).
    """

    out: Path
    quick: bool = False
    seed: int = 0
    log: Callable[[str], None] = lambda message: None
    executor: Executor | None = None

    def budget(self, quick: float, full: float) -> float:
        """``quick`` or ``full`` depending on the mode."""
        return quick if self.quick else full


@dataclass
class CaseStudyResult:
    """The outcome of a case study.

    Attributes
    ----------
    name : str
    out : Path
        The output folder (``summary.md``, ``headline.json``, ``run*/``, ``figures/``, ``*.tex``).
    headline : dict
        The headline numbers (also in ``headline.json``).
    files : list of Path
        Every file written, relative to ``out``.
    seconds : float
    """

    name: str
    out: Path
    headline: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def summary(self) -> str:
        """The Markdown summary."""
        return (self.out / SUMMARY_FILE).read_text(encoding="utf-8")


StudyFunction = Callable[[Context], dict[str, Any]]


@dataclass(frozen=True)
class CaseStudy:
    """A registered case study.

    Parameters
    ----------
    name : str
    title : str
    datasets : tuple of str
        The built-in datasets it reads (named in errors when they are missing).
    run : callable
        ``run(context) -> headline dict``; writes its files into ``context.out``
        (``summary.md`` among them).
    parallel : bool, default=False
        Whether it runs independent searches (nested cross-validation) that an executor can
        spread over processes or a Dask cluster.
    """

    name: str
    title: str
    datasets: tuple[str, ...]
    run: StudyFunction
    parallel: bool = False


_REGISTRY: dict[str, CaseStudy] = {}


def register(name: str, title: str, datasets: tuple[str, ...], *,
             parallel: bool = False) -> Callable[[StudyFunction], StudyFunction]:
    """Decorator adding a study function to the registry under ``name`` (see :class:`CaseStudy`)."""

    def decorate(func: StudyFunction) -> StudyFunction:
        _REGISTRY[name] = CaseStudy(name, title, datasets, func, parallel)
        return func

    return decorate


def list_case_studies() -> list[CaseStudy]:
    """Every registered case study, in registration order."""
    return list(_REGISTRY.values())


def get_case_study(name: str) -> CaseStudy:
    """The case study called ``name``; ConfigError (with a suggestion) if there is none."""
    if name in _REGISTRY:
        return _REGISTRY[name]
    close = difflib.get_close_matches(name, list(_REGISTRY), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise ConfigError(f"unknown case study {name!r}; {hint}available: {list(_REGISTRY)}")


def _check_out(out: Path, overwrite: bool) -> None:
    if not out.exists():
        return
    if not overwrite:
        raise RunError(f"output folder {str(out)!r} already exists; choose another --out or pass --overwrite")
    if not out.is_dir():
        raise RunError(f"{str(out)!r} exists and is a file, not a case-study folder; choose another --out")
    if any(out.iterdir()) and not (out / HEADLINE_FILE).exists():
        raise RunError(f"{str(out)!r} is a non-empty folder without {HEADLINE_FILE}; lawfind only overwrites its own "
                       f"case-study folders, choose another --out")


def run_case_study(
    name: str,
    *,
    quick: bool = False,
    out: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
    seed: int = 0,
    log: Callable[[str], None] | None = None,
    executor: Executor | None = None,
) -> CaseStudyResult:
    """Run case study ``name`` and write its folder.

    Parameters
    ----------
    name : str
        See :func:`list_case_studies`.
    quick : bool, default=False
        Tiny time limits and fewer baselines (finishes in well under a minute).
    out : path, optional
        Output folder; ``lawfind_runs/case_studies/<name>`` by default.
    overwrite : bool, default=False
        Replace an existing case-study folder (never a foreign folder).
    seed : int, default=0
    log : callable, optional
        Receives one progress line at a time.
    executor : Executor, optional
        Runs the independent searches of the study (e.g. the outer folds of nested
        cross-validation) — a :class:`~lawfind.parallel.DaskExecutor` for a cluster; left
        running.  Serial by default; the laws are the same either way for deterministic
        engines (sparse, sisso).

    Returns
    -------
    CaseStudyResult

    Raises
    ------
    ConfigError
        For an unknown name.
    DataError
        When a dataset is missing (the message names it, ``LAWFIND_DATA_DIR`` and the source).
    RunError
        When ``out`` exists and may not be replaced.
    """
    from lawfind.run._atomic import replace_dir_atomic, write_json_atomic

    study = get_case_study(name)
    out = Path(out) if out is not None else DEFAULT_ROOT / name
    _check_out(out, overwrite)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    started = time.monotonic()
    try:
        context = Context(staging, quick=quick, seed=seed, log=log or (lambda message: None), executor=executor)
        headline = {"case_study": name, "quick": quick, "seed": seed, **study.run(context)}
        headline["seconds"] = round(time.monotonic() - started, 2)
        write_json_atomic(staging / HEADLINE_FILE, _plain(headline))
        if not (staging / SUMMARY_FILE).is_file():
            raise RuntimeError(f"case study {name!r} wrote no {SUMMARY_FILE}")
        files = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
        os.chmod(staging, 0o777 & ~_umask())
        replace_dir_atomic(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return CaseStudyResult(name, out, headline, files, time.monotonic() - started)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _plain(value: Any) -> Any:
    """JSON-ready copy: NumPy scalars to Python numbers, NaN kept (json writes NaN)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def read_headline(out: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``headline.json`` of a case-study folder."""
    path = Path(out) / HEADLINE_FILE
    if not path.is_file():
        raise RunError(f"{str(path)!r} is missing; is {str(out)!r} a case-study folder?")
    return json.loads(path.read_text(encoding="utf-8"))
