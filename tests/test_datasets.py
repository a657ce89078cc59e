"""Tests of the built-in dataset registry ``lawfind.datasets`` and ``lawfind datasets`` CLI."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pint
import pytest
import typer
from typer.testing import CliRunner

from lawfind import datasets
from lawfind.cli._datasets import datasets_app
from lawfind.data import Dataset
from lawfind.exceptions import ConfigError, DataError

MIRROR = Path(os.environ.get("LAWFIND_DATA_DIR") or "/work/shared/data")
NAMES = [entry.name for entry in datasets.list_datasets()]
needs_mirror = pytest.mark.skipif(
    not MIRROR.is_dir(), reason=f"no local dataset mirror at {MIRROR} (set LAWFIND_DATA_DIR to one)"
)

# row counts as stated in each folder's PROVENANCE.md (independent of the registry's n_rows)
PROVENANCE_ROWS = {
    "bartel_perovskites": 576, "bartel_double_perovskites_dft": 73,
    "bartel_double_perovskites_predicted": 2021, "bartel_double_perovskites_icsd": 918,
    "filip_perovskites": 1622, "filip_non_perovskites": 592, "octet_binaries": 82,
    "abo3_perovskites": 4914, "double_perovskite_gaps": 1306, "double_perovskite_lumo": 55,
    "steel_fatigue_nims": 437,
    "steel_hardness_nims": 360, "steel_strength": 312, "matbench_steels": 312,
    "glass_ternary_landolt": 7191, "glass_binary": 5959, "glass_binary_v2": 5483,
    "glass_ternary_hipt": 5170, "matbench_glass": 5680,
    **{name: 400 for name in NAMES if name.startswith("strogatz_")},
}


@pytest.fixture
def mirror(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point LAWFIND_DATA_DIR at the shared mirror (and the cache at an empty folder)."""
    if not MIRROR.is_dir():
        pytest.skip(f"no local dataset mirror at {MIRROR} (set LAWFIND_DATA_DIR to one)")
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(MIRROR))
    monkeypatch.setenv(datasets.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return MIRROR


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, float]]:
    """No mirror, an empty cache, and a urlopen that fails as without network; returns its calls."""
    calls: list[tuple[str, float]] = []

    def no_network(url: str, timeout: float | None = None) -> None:
        calls.append((url, timeout))
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.delenv(datasets.DATA_DIR_ENV, raising=False)
    monkeypatch.setenv(datasets.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    return calls


def serve(monkeypatch: pytest.MonkeyPatch, payload: bytes) -> list[str]:
    """Make urlopen return ``payload``; returns the list of requested URLs."""
    calls: list[str] = []

    def fake_urlopen(url: str, timeout: float | None = None) -> io.BytesIO:
        assert timeout is not None, "downloads must use a timeout"
        calls.append(url)
        return io.BytesIO(payload)

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    return calls


# ------------------------------------------------------------------ registry
def test_public_names_match_all() -> None:
    public = {n for n in dir(datasets) if not n.startswith("_")} - {"annotations"}
    modules = {n for n in public if type(getattr(datasets, n)).__name__ == "module"}
    assert public - modules == set(datasets.__all__)


def test_registry_entries_are_consistent() -> None:
    units = pint.UnitRegistry()
    assert len(NAMES) == len(set(NAMES)) >= 10
    for entry in datasets.list_datasets():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", entry.name)
        assert re.fullmatch(r"[0-9a-f]{64}", entry.sha256)
        assert entry.citation and entry.licence and entry.description
        for unit in entry.units.values():
            units.parse_units(unit)
        if entry.url is None:
            assert "derived" in entry.source
        else:
            commit = re.search(r"raw\.githubusercontent\.com/[^/]+/[^/]+/([0-9a-f]{40})/", entry.url)
            assert commit and commit.group(1) in entry.source, entry.url


def test_expected_datasets_are_registered() -> None:
    assert set(PROVENANCE_ROWS) == set(NAMES)


def test_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(ConfigError, match=r"unknown dataset 'bartel_perovskite'; did you mean 'bartel_perovskites'"):
        datasets.info("bartel_perovskite")
    with pytest.raises(ConfigError, match="did you mean 'octet_binaries'"):
        datasets.load("octet_binarys")
    with pytest.raises(ConfigError, match="unknown dataset 'zzz'") as excinfo:
        datasets.path("zzz")
    assert "did you mean" not in str(excinfo.value)


# ------------------------------------------------------------------ loading from the mirror
@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_loads_and_verifies(mirror: Path, name: str) -> None:
    entry = datasets.info(name)
    file = datasets.path(name)
    assert file == mirror / entry.folder / entry.file
    assert hashlib.sha256(file.read_bytes()).hexdigest() == entry.sha256
    frame = datasets.load(name)
    assert list(frame.columns) == entry.column_names
    assert len(frame) == PROVENANCE_ROWS[name]
    if entry.target is not None and entry.features:
        data = datasets.load_dataset(name)
        assert isinstance(data, Dataset)
        assert (data.target, data.task, data.n_rows) == (entry.target, entry.task, PROVENANCE_ROWS[name])
        assert data.source == f"datasets:{name}"


def test_class_counts_match_provenance(mirror: Path) -> None:
    assert datasets.load("bartel_perovskites")["exp_label"].value_counts().to_dict() == {1: 313, -1: 263}
    assert datasets.load("bartel_double_perovskites_icsd")["icsd_label"].value_counts().to_dict() == {1: 868, -1: 50}
    assert datasets.load("octet_binaries")["min_struc_type"].value_counts().to_dict() == {"RS": 41, "ZB": 41}
    assert datasets.load("glass_ternary_landolt")["gfa"].value_counts().to_dict() == {1: 5137, 0: 2054}
    fatigue = datasets.load("steel_fatigue_nims")["Fatigue"]
    assert (fatigue.min(), fatigue.max()) == (225, 1190)


def test_na_is_sodium_not_missing(mirror: Path) -> None:
    raw = pd.read_csv(datasets.path("filip_perovskites"))
    assert raw["B"].isna().sum() == 1, "the quirk: pandas' defaults read the symbol NA as missing"
    frame = datasets.load("filip_perovskites")
    assert not frame.isna().any().any()
    assert frame.loc[frame["Compound"] == "Cs2NaLuBr6", "B"].tolist() == ["Na", "Na"]
    assert "B Oxidation State" in frame.columns  # leading space of the header stripped


def test_misaligned_header_is_fixed(mirror: Path) -> None:
    frame = datasets.load("filip_non_perovskites")
    assert frame.index.equals(pd.RangeIndex(592))
    assert frame.loc[0, "Compound"] == "Ag2VAsO6"
    assert frame.loc[0, "A"] == "Ag" and frame.loc[0, "X Oxidation State"] == -2
    assert frame["Structure type"].str.contains("Ilmenite").any()
    assert pd.api.types.is_integer_dtype(frame["A Oxidation State"])


def test_dash_means_missing_magnetic_moment(mirror: Path) -> None:
    frame = datasets.load("abo3_perovskites")
    assert pd.api.types.is_float_dtype(frame["mu_b"])
    assert frame["mu_b"].isna().sum() == 947
    assert frame.drop(columns="mu_b").notna().all().all()


def test_index_columns_are_not_data(mirror: Path) -> None:
    steels = datasets.load("steel_strength")
    assert not any(str(c).startswith("Unnamed") for c in steels.columns)
    fatigue = datasets.load("steel_fatigue_nims")
    assert fatigue.index.name == "Sl. No." and list(fatigue.index[[0, -1]]) == [1, 437]
    assert "Sl. No." not in datasets.load_dataset("steel_fatigue_nims").features


def test_load_dataset_carries_units(mirror: Path) -> None:
    octet = datasets.load_dataset("octet_binaries")
    assert octet.units["delta_E_RS_minus_ZB_eV_per_atom"] == "eV"
    assert octet.units["r_s_A"] == "angstrom"
    assert "energy_RS_eV_per_atom" not in octet.features
    fatigue = datasets.load_dataset("steel_fatigue_nims")
    assert fatigue.units["Fatigue"] == "MPa" and fatigue.units["C"] == "percent"
    assert fatigue.units["NT"] == "degC"


def test_load_dataset_other_target_and_features(mirror: Path) -> None:
    with pytest.raises(DataError, match="missing"):
        datasets.load_dataset("steel_strength", target="elongation")
    data = datasets.load_dataset("steel_strength", target="elongation", dropna=True)
    assert (data.task, data.dropped_rows, data.n_rows) == ("regression", 9, 303)
    oxides = datasets.load_dataset("abo3_perovskites", features=["vpa", "a"])
    assert oxides.target == "e_form" and oxides.units == {"vpa": "angstrom**3", "a": "angstrom", "e_form": "eV"}
    glass = datasets.load_dataset("glass_ternary_hipt", target="phase", features=["gfa"])
    assert glass.task == "classification"


def test_load_dataset_refuses_missing_defaults(mirror: Path) -> None:
    with pytest.raises(ConfigError, match="no default numeric features"):
        datasets.load_dataset("glass_binary")
    with pytest.raises(ConfigError, match="no default target"):
        datasets.load_dataset("filip_perovskites")
    with pytest.raises(ConfigError, match="default features"):
        datasets.load_dataset("steel_hardness_nims", target="Hardness")


# ------------------------------------------------------------------ checksums, cache, download
def _corrupt_copy(root: Path, name: str) -> Path:
    entry = datasets.info(name)
    copy = root / entry.folder / entry.file
    copy.parent.mkdir(parents=True)
    shutil.copyfile(MIRROR / entry.folder / entry.file, copy)
    copy.write_bytes(copy.read_bytes().replace(b"AgBr", b"AgBx", 1))
    return copy


@needs_mirror
def test_wrong_checksum_in_mirror_raises(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    copy = _corrupt_copy(tmp_path, "octet_binaries")
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(tmp_path))
    actual = hashlib.sha256(copy.read_bytes()).hexdigest()
    expected = datasets.info("octet_binaries").sha256
    with pytest.raises(DataError, match=rf"checksum mismatch.*expected sha256 {expected}, got {actual}"):
        datasets.load("octet_binaries")


@needs_mirror
def test_wrong_checksum_in_cache_raises(offline: list, tmp_path: Path) -> None:
    _corrupt_copy(tmp_path / "cache", "octet_binaries")
    with pytest.raises(DataError, match="checksum mismatch.*delete"):
        datasets.path("octet_binaries")
    assert offline == []


def test_missing_file_in_mirror_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(tmp_path))
    with pytest.raises(DataError, match=r"LAWFIND_DATA_DIR is set to .* steel_fatigue_nims/agrawal2014"):
        datasets.path("steel_fatigue_nims")


def test_offline_without_mirror_raises_with_hint(offline: list) -> None:
    entry = datasets.info("bartel_perovskites")
    with pytest.raises(DataError, match=r"not available offline.*set LAWFIND_DATA_DIR to a local mirror"):
        datasets.load("bartel_perovskites")
    assert offline == [(entry.url, datasets.DOWNLOAD_TIMEOUT)]


def test_derived_dataset_needs_a_mirror(offline: list) -> None:
    with pytest.raises(DataError, match=r"no download URL.*LAWFIND_DATA_DIR.*octet_binaries_82\.csv"):
        datasets.path("octet_binaries")
    assert offline == []


@needs_mirror
def test_download_is_verified_and_cached(offline: list, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    entry = datasets.info("steel_hardness_nims")
    calls = serve(monkeypatch, (MIRROR / entry.folder / entry.file).read_bytes())
    first = datasets.path("steel_hardness_nims")
    assert first == tmp_path / "cache" / entry.folder / entry.file
    assert calls == [entry.url]
    assert datasets.path("steel_hardness_nims") == first and len(calls) == 1  # served from the cache
    assert len(datasets.load("steel_hardness_nims")) == 360


def test_download_with_wrong_checksum_saves_nothing(offline: list, monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    serve(monkeypatch, b"not,the,data\n")
    expected = datasets.info("steel_strength").sha256
    actual = hashlib.sha256(b"not,the,data\n").hexdigest()
    with pytest.raises(DataError, match=rf"expected sha256 {expected}, got {actual}; nothing was saved"):
        datasets.path("steel_strength")
    assert not any((tmp_path / "cache").rglob("*.csv"))


# ------------------------------------------------------------------ CLI
@pytest.fixture
def cli() -> tuple[CliRunner, typer.Typer]:
    app = typer.Typer()
    app.add_typer(datasets_app, name="datasets")
    return CliRunner(), app


def test_cli_list(cli: tuple[CliRunner, typer.Typer]) -> None:
    runner, app = cli
    result = runner.invoke(app, ["datasets", "list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for name in NAMES:
        assert name in result.stdout
    assert "classification" in result.stdout and "Fatigue" in result.stdout


def test_cli_info(cli: tuple[CliRunner, typer.Typer]) -> None:
    runner, app = cli
    result = runner.invoke(app, ["datasets", "info", "steel_fatigue_nims"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for text in ("10.1186/2193-9772-3-8", "MPa", "degC", "Sl. No.", datasets.info("steel_fatigue_nims").sha256):
        assert text in result.stdout


def test_cli_path(cli: tuple[CliRunner, typer.Typer], mirror: Path) -> None:
    runner, app = cli
    result = runner.invoke(app, ["datasets", "path", "octet_binaries"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(mirror / "octet_binaries_ghiringhelli2015" / "octet_binaries_82.csv")


@pytest.mark.parametrize("command", ["info", "path"])
def test_cli_bad_name_exits_2_without_traceback(cli: tuple[CliRunner, typer.Typer], command: str) -> None:
    runner, app = cli
    result = runner.invoke(app, ["datasets", command, "steel_fatige_nims"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown dataset 'steel_fatige_nims'; did you mean 'steel_fatigue_nims'")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_cli_path_offline_exits_2(cli: tuple[CliRunner, typer.Typer], offline: list) -> None:
    runner, app = cli
    result = runner.invoke(app, ["datasets", "path", "steel_strength"])
    assert result.exit_code == 2
    assert "not available offline" in result.stderr and "LAWFIND_DATA_DIR" in result.stderr
