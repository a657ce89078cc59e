"""Benchmark: the cost of screening the never-stored last rung of the ``sisso`` engine (classification).

On Bartel's 576 perovskites (six primaries: rA, rB, rX, nA, nB, nX, as ratios where the
case study makes them), one thread, rung 3, a single 1-D screening: prints the size of the
space, the features scored in the time limit, the seconds and the microseconds per feature
per thread, for τ's operators (``+ - * / log``) and for the default operator set; and the
memory of the stored rungs of the radii with the default operators.

Run (about 2 minutes)::

    LAWFIND_DATA_DIR=/work/shared/data .venv/bin/python benchmarks/sisso_screening.py
"""

from __future__ import annotations

import numpy as np

from lawfind import datasets
from lawfind.casestudies._perovskite import PRIMARIES, primary_features
from lawfind.search.sisso import SissoEngine

TIME_LIMIT = 40.0


def _screen(X: np.ndarray, y: np.ndarray, units: tuple, label: str, **options: object) -> None:
    """One rung-3 screening; prints its size, speed and stored memory."""
    engine = SissoEngine(task="classification", metric="accuracy", rung=3, max_dimension=1, sis_size=100,
                         n_models=10, feature_units=units, n_threads=1, **options)
    result = engine.search(X, y, time_limit=TIME_LIMIT, seed=0, progress=lambda f, m: None)
    space, sis = result.info["feature_space"], result.info["sis"][0]
    per_feature = 1e6 * sis["seconds"] / (sis["scored"] + sis.get("unusable", 0))
    print(f"{label:<32} space {space['screened_space']:>13,}  stored {space['stored_features']:>7,}  "
          f"stored {result.info['memory']['stored']:>9}  scored {sis['scored']:>11,} "
          f"in {sis['seconds']:.1f} s  ({per_feature:.1f} µs per feature per thread)")


def main() -> None:
    data = datasets.load_dataset("bartel_perovskites")
    y = np.asarray(data.y, dtype=int)
    ratios = primary_features(data.frame.reset_index(drop=True))[list(PRIMARIES)].to_numpy(dtype=float)
    dimensionless = ("dimensionless",) * ratios.shape[1]
    _screen(ratios, y, dimensionless, "ratio primaries, τ's operators", operators=("+", "-", "*", "/", "log"))
    _screen(ratios, y, dimensionless, "ratio primaries, default ops")
    units = tuple(data.units[f] for f in data.features)
    _screen(np.asarray(data.X, dtype=float), y, units, "radii with units, default ops")


if __name__ == "__main__":
    main()
