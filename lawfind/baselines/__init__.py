"""Black-box baselines scored on the same cross-validation folds as a law.

* :func:`cross_validate_baselines` — linear/ridge, k-NN, SVM, decision tree, random
  forest, histogram gradient boosting, MLP, Gaussian process (skipped above
  :data:`GP_MAX_ROWS` rows), XGBoost and LightGBM when installed; one table row each;
* :func:`cross_validate_law` — a law's structure on the same folds (constants refit on
  each training fold), as one more row of that table;
* :func:`nested_cross_validate` — the law *search* rerun inside each outer training
  fold, next to the black boxes on the same outer folds.

>>> import numpy as np, pandas as pd
>>> from lawfind import Law
>>> rng = np.random.default_rng(0)
>>> frame = pd.DataFrame({"HV": rng.uniform(150, 450, 80)})
>>> y = 3.2 * frame["HV"].to_numpy() - 25 + rng.normal(0, 10, 80)
>>> folds = make_folds(y, cv=5, seed=0)
>>> table = cross_validate_baselines(frame, y, cv=folds, models=["ridge", "random forest"])
>>> law = Law.from_string("3.0*x0 + 1.0", {"x0": "HV"}, target="UTS")
>>> table = pd.concat([pd.DataFrame([cross_validate_law(law, frame, y, folds)]), table])
>>> list(table["kind"])
['law', 'black box', 'black box']
"""

from lawfind.baselines._cv import (
    Folds,
    cross_validate_baselines,
    cross_validate_law,
    fold_scores,
    law_columns,
    make_folds,
    refit_law,
    summarize,
    table_columns,
)
from lawfind.baselines._models import GP_MAX_ROWS, BaselineModel, default_models, model_size
from lawfind.baselines._nested import NestedResult, nested_cross_validate

__all__ = [
    "cross_validate_baselines",
    "cross_validate_law",
    "nested_cross_validate",
    "NestedResult",
    "make_folds",
    "Folds",
    "fold_scores",
    "summarize",
    "table_columns",
    "refit_law",
    "law_columns",
    "default_models",
    "BaselineModel",
    "model_size",
    "GP_MAX_ROWS",
]
