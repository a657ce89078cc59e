"""Laws kept off a front whatever their fit: worse than the mean, or aliased oscillations.

Both rules apply to every engine's laws after polishing (:func:`lawfind.discover`,
:class:`lawfind.LawRegressor`); the portfolio also applies the second to its candidate pool
so that aliased laws take no place among the candidates it polishes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lawfind.law import Law
from lawfind.law._aliasing import aliased_oscillations

__all__ = ["drop_laws_worse_than_the_mean", "drop_aliased_laws"]


def drop_laws_worse_than_the_mean(laws: Sequence[Law]) -> tuple[list[Law], int]:
    """The regression laws more accurate than the target's mean (R² > 0 on the data), and how many were not.

    A law with R² ≤ 0 predicts worse than the constant mean of the target, a law of
    complexity 1 that every front implicitly has; shown at the simple end of a front it
    would read as the simplest law worth having.
    """
    kept = [law for law in laws if law.metrics.get("r2", -np.inf) > 0]
    return kept, len(laws) - len(kept)


def drop_aliased_laws(laws: Sequence[Law], X: np.ndarray) -> tuple[list[Law], dict[str, object]]:
    """The laws without an aliased oscillation on ``X`` (:func:`~lawfind.law._aliasing.aliased_oscillations`),
    and a record for ``run.info["aliased"]``: how many were dropped, with up to three examples."""
    kept, examples, dropped = [], [], 0
    for law in laws:
        found = aliased_oscillations(law.expression, X)
        if not found:
            kept.append(law)
            continue
        dropped += 1
        if len(examples) < 3:
            examples.append(f"{law.equation(4)}: {found[0]}")
    return kept, {"dropped": dropped, "examples": examples}
