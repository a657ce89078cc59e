"""Bad data through the API: every case raises DataError with one clear line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lawfind import ConfigError, DataError, Dataset
from lawfind.data import MIN_ROWS

from conftest import linear_frame


def _one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_good_frame_gives_features_in_order():
    ds = Dataset.from_frame(linear_frame(), "y")
    assert ds.features == ("a", "b")
    assert ds.X.shape == (30, 2) and ds.y.shape == (30,)


def test_missing_target_lists_columns():
    with pytest.raises(DataError, match=r"target column 'z' not found") as exc:
        Dataset.from_frame(linear_frame(), "z")
    assert "['a', 'b', 'y']" in _one_line(exc)


def test_non_numeric_features_are_named():
    frame = linear_frame().assign(kind=["fcc", "bcc"] * 15, phase=["x"] * 30)
    with pytest.raises(DataError, match="non-numeric feature") as exc:
        Dataset.from_frame(frame, "y")
    assert "'kind'" in _one_line(exc) and "'phase'" in str(exc.value) and "--features" in str(exc.value)


def test_non_numeric_target():
    frame = linear_frame().assign(y=["a"] * 30)
    with pytest.raises(DataError, match="target 'y' is not numeric"):
        Dataset.from_frame(frame, "y")


@pytest.mark.parametrize("column", ["a", "y"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_says_how_many_rows_and_offers_dropna(column, bad):
    frame = linear_frame()
    frame.loc[[3, 7, 11], column] = bad
    with pytest.raises(DataError, match=r"^3 row\(s\) have missing \(NaN\) or infinite values") as exc:
        Dataset.from_frame(frame, "y")
    assert f"['{column}']" in _one_line(exc) and "--dropna" in str(exc.value)
    ds = Dataset.from_frame(frame, "y", dropna=True)
    assert ds.n_rows == 27 and ds.dropped_rows == 3
    assert np.isfinite(ds.X).all() and np.isfinite(ds.y).all()


def test_dropna_that_leaves_too_few_rows():
    frame = linear_frame(n=8)
    frame.loc[:4, "a"] = np.nan
    with pytest.raises(DataError, match=f"only 3 usable row.*at least {MIN_ROWS}"):
        Dataset.from_frame(frame, "y", dropna=True)


def test_constant_target():
    with pytest.raises(DataError, match="target 'y' is constant"):
        Dataset.from_frame(linear_frame().assign(y=4.0), "y")


@pytest.mark.parametrize("n", [0, 1, MIN_ROWS - 1])
def test_too_few_rows(n):
    with pytest.raises(DataError, match=f"only {n} usable row.*at least {MIN_ROWS}"):
        Dataset.from_frame(linear_frame(n=n), "y")


def test_duplicate_column_names_in_frame():
    frame = linear_frame()
    frame.columns = ["a", "a", "y"]
    with pytest.raises(DataError, match=r"duplicate column names: \['a'\]"):
        Dataset.from_frame(frame, "y")


def test_target_listed_as_feature():
    with pytest.raises(DataError, match="target 'y' is also listed as a feature"):
        Dataset.from_frame(linear_frame(), "y", ["a", "y"])


def test_unknown_feature_lists_columns():
    with pytest.raises(DataError, match=r"feature column\(s\) \['c'\] not found.*\['a', 'b', 'y'\]"):
        Dataset.from_frame(linear_frame(), "y", ["a", "c"])


def test_not_a_frame():
    with pytest.raises(DataError, match="expected a pandas DataFrame, got dict"):
        Dataset.from_frame({"a": [1, 2]}, "a")


def test_bad_task():
    with pytest.raises(ConfigError, match="task must be one of"):
        Dataset.from_frame(linear_frame(), "y", task="clustering")


def test_bool_feature_is_not_numeric():
    with pytest.raises(DataError, match=r"non-numeric feature column\(s\): \['flag'\]"):
        Dataset.from_frame(linear_frame().assign(flag=True), "y")


# ----------------------------------------------------------------- files
def test_from_csv_round_trip(tmp_path):
    path = tmp_path / "d.csv"
    linear_frame().to_csv(path, index=False)
    ds = Dataset.from_csv(path, "y")
    assert ds.source == str(path) and ds.features == ("a", "b")


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        Dataset.from_csv(tmp_path / "nope.csv", "y")


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(DataError, match="is a folder, not a CSV file"):
        Dataset.from_csv(tmp_path, "y")


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match="is empty"):
        Dataset.from_csv(path, "y")


def test_header_only_file(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("a,b,y\n")
    with pytest.raises(DataError, match="has a header but no data rows"):
        Dataset.from_csv(path, "y")


@pytest.mark.parametrize("content", [
    bytes(range(256)) * 4,                       # binary with NUL bytes
    b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 50,  # an image
    "é,y\n1,2\n".encode("latin-1") + b"\xff\xfe",  # not UTF-8
])
def test_binary_file_is_not_csv(tmp_path, content):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match="is not a .*CSV file") as exc:
        Dataset.from_csv(path, "y")
    _one_line(exc)


@pytest.mark.parametrize("text", [
    '{"a": [1, 2, 3], "y": [4, 5, 6]}',
    '[{"a": 1, "y": 2}, {"a": 2, "y": 3}]',
    "hello world\nthis is not a table\n",
    "a;b;y\n1;2;3\n4;5;6\n",
    '{\n  "a": 1,\n  "b": 2,\n  "y": 3\n}\n',
    "a,b,y\n1,2,3\n4,5,6,7,8\n",
])
def test_text_that_is_not_csv(tmp_path, text):
    path = tmp_path / "data.csv"
    path.write_text(text)
    with pytest.raises(DataError) as exc:
        Dataset.from_csv(path, "y")
    message = _one_line(exc)
    assert str(path) in message
    assert "CSV" in message


def test_duplicate_header_in_file(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("a,b,a,y\n" + "\n".join(f"{i},{i + 1},{i},{i * 2}" for i in range(10)))
    with pytest.raises(DataError, match=r"duplicate column names in .*\['a'\]"):
        Dataset.from_csv(path, "y")


def test_odd_column_names_survive_csv(tmp_path):
    names = ["E", "I", "S", "N", "beta", "lambda", "T (K)", "YS [MPa]", "σ_y"]
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({n: rng.uniform(1, 2, 10) for n in names})
    path = tmp_path / "odd.csv"
    frame.to_csv(path, index=False)
    ds = Dataset.from_csv(path, "σ_y")
    assert list(ds.features) == names[:-1]


@pytest.mark.parametrize("text, columns", [
    (",a,b,y\n0,1,2,3\n1,2,3,4\n", 1),      # pandas' index column
    ("a,b,y,\n1,2,3,\n2,3,4,\n", 4),        # a trailing comma on every line
    ("a,,y\n1,2,3\n", 2),
])
def test_unnamed_header_columns(tmp_path, text, columns):
    path = tmp_path / "d.csv"
    path.write_text(text)
    with pytest.raises(DataError, match=rf"column\(s\) \[{columns}\] of .* have no name in the header row"):
        Dataset.from_csv(path, "y")


def test_numbers_as_header_hint(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("1.0,2.0,3.0\n" * 6)
    with pytest.raises(DataError, match="is the first line a header row"):
        Dataset.from_csv(path, "y")


def test_non_numeric_values_are_shown():
    frame = linear_frame().astype({"a": object})
    frame.loc[4, "a"] = "12 MPa"
    with pytest.raises(DataError, match=r"\['a'\] \('a' has '12 MPa'\)"):
        Dataset.from_frame(frame, "y")
    frame = linear_frame().astype({"y": object})
    frame.loc[4, "y"] = "n.d."
    with pytest.raises(DataError, match=r"target 'y' is not numeric \(it has 'n.d.'\)"):
        Dataset.from_frame(frame, "y")


def test_units_of_a_column_left_out_of_the_features_are_named_as_such():
    frame = pd.DataFrame({"E": np.arange(1.0, 11.0), "T": np.arange(11.0, 21.0), "y": np.arange(2.0, 12.0) ** 2})
    with pytest.raises(DataError, match=r"units given for column\(s\) \['T'\], which are in the data but not "
                                        r"among the features \['E'\]"):
        Dataset.from_frame(frame, "y", ["E"], units={"E": "eV", "T": "K"})
    with pytest.raises(DataError, match=r"\['Q'\] that are not in the data; columns: \['E', 'T', 'y'\]"):
        Dataset.from_frame(frame, "y", ["E"], units={"Q": "K"})


def test_units_must_be_a_mapping():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 5.0], "y": [2.0, 4.0, 6.0, 8.0, 10.0]})
    with pytest.raises(DataError, match=r"units must map column names to pint units.*got str 'a=meter'"):
        Dataset.from_frame(frame, "y", units="a=meter")


@pytest.mark.parametrize("name", [None, "", "  "])
def test_unnamed_columns_are_refused(name):
    frame = pd.DataFrame({name: [1.0, 2.0, 3.0, 4.0, 5.0], "y": [2.0, 4.0, 6.0, 8.0, 11.0]})
    with pytest.raises(DataError, match=r"column\(s\) at position\(s\) \[0\] have no name"):
        Dataset.from_frame(frame, "y")


def test_complex_columns_are_not_silently_made_real():
    frame = pd.DataFrame({"a": np.arange(5) + 1j, "y": [2.0, 4.0, 6.0, 8.0, 11.0]})
    with pytest.raises(DataError, match=r"non-numeric feature column\(s\): \['a'\] \('a' has 1j\)"):
        Dataset.from_frame(frame, "y")
