"""wt% -> at% conversion of alloy contents: hand-computed values, balance handling, bad input, real steels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pymatgen.core", reason="the materials extra (pymatgen) is not installed")
from lawfind.exceptions import ConfigError, DataError  # noqa: E402
from lawfind.materials import atomic_percent  # noqa: E402

#: Standard atomic weights (IUPAC/CIAAW).  pymatgen's table differs slightly (Mo 95.94, Co 58.933195),
#: hence the relative tolerance of the hand-computed comparisons.
MASS = {"Fe": 55.845, "Ni": 58.6934, "Co": 58.933194, "Mo": 95.95, "Ti": 47.867, "C": 12.011, "Mn": 54.938043}
RTOL = 5e-4


def by_hand(wt: dict[str, float], balance: str | None = "Fe") -> dict[str, float]:
    """at% from wt% with numpy and the standard atomic weights above (independent of the function)."""
    symbols = list(wt)
    w = np.array([wt[s] for s in symbols], dtype=float)
    moles = w / np.array([MASS[s] for s in symbols])
    total = moles.sum() + ((100.0 - w.sum()) / MASS[balance] if balance else 0.0)
    return dict(zip(symbols, 100.0 * moles / total))


MARAGING = {"Ni": 18.0, "Co": 8.0, "Mo": 5.0, "Ti": 0.4}  # Fe-18Ni-8Co-5Mo-0.4Ti (C250 maraging), wt%


# ----------------------------------------------------------------- known values
def test_maraging_steel_matches_the_hand_computed_at_percent():
    frame = pd.DataFrame({"ni": [18.0], "co": [8.0], "mo": [5.0], "ti": [0.4]}, index=["C250"])
    result = atomic_percent(frame)
    expected = by_hand(MARAGING)
    assert list(result.columns) == ["ni", "co", "mo", "ti"] and list(result.index) == ["C250"]
    assert all(result[c].dtype == np.float64 for c in result.columns)
    np.testing.assert_allclose(result.loc["C250"].to_numpy(), [expected[s] for s in MARAGING], rtol=RTOL)
    # the numbers themselves (Ni 17.71, Co 7.84, Mo 3.01, Ti 0.48 at%; Fe 70.95), for a reader checking by eye
    np.testing.assert_allclose(result.loc["C250"].to_numpy(), [17.71, 7.84, 3.01, 0.48], atol=0.01)


def test_with_the_balance_the_at_percent_sum_to_100():
    frame = pd.DataFrame({"ni": [18.0, 9.0], "co": [8.0, 0.0], "mo": [5.0, 1.0], "ti": [0.4, 0.0]})
    result = atomic_percent(frame)
    second = {"Ni": 9.0, "Co": 0.0, "Mo": 1.0, "Ti": 0.0}
    # Fe's at% by hand: its moles over all moles; with the returned columns it makes 100
    iron = [100 * (100 - sum(wt.values())) / MASS["Fe"]
            / (sum(w / MASS[s] for s, w in wt.items()) + (100 - sum(wt.values())) / MASS["Fe"])
            for wt in (MARAGING, second)]
    np.testing.assert_allclose(result.sum(axis=1) + np.array(iron), 100.0, rtol=RTOL)
    assert (result.sum(axis=1) < 100).all()


def test_carbon_steel_and_the_column_selection():
    steel = pd.DataFrame({"c": [0.4], "mn": [1.0], "note": ["x"]})
    expected = by_hand({"C": 0.4, "Mn": 1.0})
    for elements in (["c", "mn"], {"c": "C", "mn": "Mn"}):
        result = atomic_percent(steel, elements)
        assert list(result.columns) == ["c", "mn"]
        np.testing.assert_allclose(result.iloc[0].to_numpy(), [expected["C"], expected["Mn"]], rtol=RTOL)
    assert round(float(atomic_percent(steel, ["c", "mn"]).iloc[0]["c"]), 2) == 1.83
    # upper-case names and a mapping to other column names
    upper = atomic_percent(pd.DataFrame({"C": [0.4], "MN": [1.0]}))
    np.testing.assert_allclose(upper.iloc[0].to_numpy(), [expected["C"], expected["Mn"]], rtol=RTOL)
    named = atomic_percent(pd.DataFrame({"carbon": [0.4], "manganese": [1.0]}), {"carbon": "C", "manganese": "Mn"})
    assert list(named.columns) == ["carbon", "manganese"]
    np.testing.assert_allclose(named.to_numpy(), upper.to_numpy())


def test_other_balance_element():
    frame = pd.DataFrame({"cr": [20.0], "fe": [5.0]})  # a Ni-20Cr-5Fe alloy
    result = atomic_percent(frame, balance="Ni")
    cr = 20.0 / 51.9961
    fe = 5.0 / MASS["Fe"]
    ni = 75.0 / MASS["Ni"]
    np.testing.assert_allclose(result.iloc[0].to_numpy(), 100 * np.array([cr, fe]) / (cr + fe + ni), rtol=RTOL)


def test_balance_none_normalises_the_columns_as_they_are():
    frame = pd.DataFrame({"ni": [50.0, 55.0], "ti": [50.0, 45.0]}, index=[10, 11])
    result = atomic_percent(frame, balance=None)
    np.testing.assert_allclose(result.sum(axis=1), 100.0)
    for label, (ni, ti) in zip(result.index, [(50.0, 50.0), (55.0, 45.0)]):
        moles = np.array([ni / MASS["Ni"], ti / MASS["Ti"]])
        np.testing.assert_allclose(result.loc[label].to_numpy(), 100 * moles / moles.sum(), rtol=RTOL)
    # Fe is allowed as a column when nothing is the balance
    steel = pd.DataFrame({"fe": [98.6], "c": [0.4], "mn": [1.0]})
    np.testing.assert_allclose(atomic_percent(steel, balance=None)[["c", "mn"]],
                               atomic_percent(steel[["c", "mn"]]), rtol=1e-12)


def test_edge_cases_keep_the_shape():
    empty = atomic_percent(pd.DataFrame({"c": pd.Series([], dtype=float)}))
    assert empty.shape == (0, 1) and empty["c"].dtype == np.float64
    pure_iron = atomic_percent(pd.DataFrame({"c": [0.0], "mn": [0]}))
    assert pure_iron.to_numpy().tolist() == [[0.0, 0.0]]
    integers = atomic_percent(pd.DataFrame({"ni": pd.array([18, 9], dtype="Int64")}))
    assert integers["ni"].dtype == np.float64


# ----------------------------------------------------------------- bad input
def test_a_column_that_is_not_an_element_symbol_names_the_fix():
    frame = pd.DataFrame({"c": [0.4], "carbon": [0.1]})
    with pytest.raises(DataError, match=r"column 'carbon' is not an element symbol.*elements=\{'carbon': 'C'\}"):
        atomic_percent(frame)
    with pytest.raises(DataError, match=r"column 'x1' is not an element symbol.*pass elements=\{'x1': symbol\}"):
        atomic_percent(pd.DataFrame({"x1": [1.0]}))
    # pymatgen's isotope symbols are not read as elements ('t' is more likely a temperature)
    with pytest.raises(DataError, match=r"column 't' is not an element symbol"):
        atomic_percent(pd.DataFrame({"c": [0.4], "t": [300.0]}))
    with pytest.raises(DataError, match=r"elements= maps column 'c' to 'Cx', which is not an element symbol"):
        atomic_percent(frame, {"c": "Cx"})


def test_a_missing_column_is_named():
    with pytest.raises(DataError, match=r"column 'cr' is not in the frame \(its columns: \['c', 'mn'\]\)"):
        atomic_percent(pd.DataFrame({"c": [0.4], "mn": [1.0]}), ["c", "cr"])
    with pytest.raises(DataError, match=r"column 'cr' is not in the frame"):
        atomic_percent(pd.DataFrame({"c": [0.4]}), {"cr": "Cr"})


@pytest.mark.parametrize(("value", "message"), [
    ("0.4%", r"row 'b' \(position 1\) of column 'c' holds '0.4%' \(str\), not a number"),
    (True, r"row 'b' \(position 1\) of column 'c' holds True \(bool\), not a number"),
    (np.nan, r"row 'b' \(position 1\) of column 'c' is missing \(NaN\).*fill it in"),
    (None, r"row 'b' \(position 1\) of column 'c' is missing \(NaN\)"),
    (np.inf, r"row 'b' \(position 1\) of column 'c' is infinite"),
    (-0.1, r"row 'b' \(position 1\) of column 'c' is negative \(-0.1\).*0 or more"),
])
def test_a_bad_value_names_the_column_and_the_first_bad_row(value, message):
    frame = pd.DataFrame({"mn": [1.0, 1.0, 1.0], "c": [0.4, value, value]}, index=["a", "b", "c"])
    with pytest.raises(DataError, match=message):
        atomic_percent(frame)


def test_rows_above_100_wt_percent_are_counted_and_the_first_is_named():
    frame = pd.DataFrame({"cr": [18.0, 60.0, 70.0], "ni": [8.0, 50.0, 40.0]}, index=[5, 6, 7])
    with pytest.raises(DataError, match=r"2 rows have alloying contents above 100 wt% \(first: row 6 \(position 1\), "
                                        r"sum 110 wt%\); no Fe is left"):
        atomic_percent(frame)
    with pytest.raises(DataError, match=r"1 row has alloying contents above 100 wt% \(first: row 7 .*sum 101 wt%"):
        atomic_percent(pd.DataFrame({"cr": [18.0, 60.0], "ni": [8.0, 41.0]}, index=[5, 7]))
    # exactly 100 (within 1e-3) is allowed: no balance left
    assert atomic_percent(pd.DataFrame({"cr": [60.0], "ni": [40.0005]})).sum(axis=1).iloc[0] == pytest.approx(100)


def test_balance_none_needs_rows_summing_to_100():
    frame = pd.DataFrame({"ni": [50.0, 55.0, 50.0], "ti": [50.0, 44.0, 49.0]}, index=["a", "b", "c"])
    with pytest.raises(DataError, match=r"2 rows do not sum to 100 wt% \(within 0.001\), as balance=None requires "
                                        r"\(first: row 'b' \(position 1\), sum 99 wt%\); pass balance='Fe'"):
        atomic_percent(frame, balance=None)


def test_the_balance_element_among_the_columns_is_refused():
    with pytest.raises(DataError, match=r"column 'fe' holds Fe, the balance element.*balance=None"):
        atomic_percent(pd.DataFrame({"fe": [98.6], "c": [0.4], "mn": [1.0]}))
    with pytest.raises(DataError, match=r"column 'nickel' holds Ni, the balance element \(balance='Ni'\)"):
        atomic_percent(pd.DataFrame({"cr": [20.0], "nickel": [75.0]}), {"cr": "Cr", "nickel": "Ni"}, balance="Ni")


def test_other_bad_calls():
    frame = pd.DataFrame({"c": [0.4], "mn": [1.0]})
    with pytest.raises(ConfigError, match=r"balance='Steel' is not an element symbol"):
        atomic_percent(frame, balance="Steel")
    with pytest.raises(ConfigError, match=r"elements='c' is not a list of column names"):
        atomic_percent(frame, "c")  # type: ignore[arg-type]
    with pytest.raises(DataError, match=r"no columns to convert"):
        atomic_percent(frame, [])
    with pytest.raises(DataError, match=r"columns 'c' and 'C' both hold C"):
        atomic_percent(pd.DataFrame({"c": [0.4], "C": [0.1]}))
    with pytest.raises(DataError, match=r"more than one column named 'c'"):
        atomic_percent(pd.DataFrame([[0.4, 0.1]], columns=["c", "c"]))


# ----------------------------------------------------------------- real data
def test_steel_strength_dataset_carbon_gains_and_molybdenum_loses():
    from lawfind.datasets import DATA_DIR_ENV, load_dataset

    try:
        data = load_dataset("steel_strength")
    except DataError as exc:
        pytest.skip(f"dataset 'steel_strength' unavailable (set {DATA_DIR_ENV} to the data mirror): {exc}")
    columns = ["c", "mn", "si", "cr", "ni", "mo", "v", "n", "nb", "co", "w", "al", "ti"]
    assert list(data.features) == columns
    wt = pd.DataFrame(data.X, columns=columns)
    at = atomic_percent(wt)
    assert at.shape == wt.shape and list(at.columns) == columns and at.index.equals(wt.index)
    assert np.isfinite(at.to_numpy()).all() and (at.sum(axis=1) < 100).all()
    # C (12 u) is lighter than Fe (55.8 u), Mo (95.9 u) heavier: every row with carbon / molybdenum shows it
    # (26 of the 312 steels have no carbon at all; 0 wt% stays 0 at%)
    has_c = wt["c"] > 0
    assert has_c.sum() > 250
    assert (at.loc[has_c, "c"] > wt.loc[has_c, "c"]).all() and (at.loc[~has_c, "c"] == 0).all()
    assert (wt["mo"] > 0).all()
    assert (at["mo"] < wt["mo"]).all()
