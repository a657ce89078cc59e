"""Registry entries: perovskite formability (Bartel et al. 2019; Filip & Giustino 2018)."""

from __future__ import annotations

from lawfind.datasets._info import ColumnInfo, DatasetInfo, ReadOptions, github_raw

__all__ = ["PEROVSKITE_DATASETS"]

_BARTEL_REPO = "CJBartel/perovskite-stability"
_BARTEL_COMMIT = "965b8de5b379dde09a6cb1f223ae0f0b9d3ce54e"
_BARTEL_CITATION = (
    "C. J. Bartel, C. Sutton, B. R. Goldsmith, R. Ouyang, C. B. Musgrave, L. M. Ghiringhelli, "
    "M. Scheffler, 'New tolerance factor to predict the stability of perovskite oxides and halides', "
    "Science Advances 5, eaav0693 (2019). DOI: 10.1126/sciadv.aav0693"
)
_BARTEL_LICENCE = "MIT (LICENSE of CJBartel/perovskite-stability, Copyright (c) 2018 Christopher J. Bartel)"

_SITE = {"A": "A", "B": "B", "B1": "first B", "B2": "second B", "X": "X (anion)"}
_BARTEL_COLUMNS: dict[str, tuple[str | None, str]] = {
    **{s: (None, f"element on the {site} site") for s, site in _SITE.items()},
    **{f"n{s}": ("dimensionless", f"oxidation state of the {site} site") for s, site in _SITE.items()},
    **{f"r{s}": ("angstrom", f"Shannon ionic radius of the {site} site, unrounded")
       for s, site in _SITE.items()},
    **{f"r{s} (Ang)": ("angstrom", f"Shannon ionic radius of the {site} site, rounded to 0.01")
       for s, site in _SITE.items()},
    "t": ("dimensionless", "Goldschmidt tolerance factor (rA + rX) / (sqrt(2) (rB + rX))"),
    "tau": ("dimensionless", "tolerance factor tau = rX/rB - nA (nA - (rA/rB) / ln(rA/rB)), rA > rB"),
    "t_pred": (None, "classification by t (0.825 < t < 1.059): 1 = perovskite, -1 = not"),
    "tau_pred": (None, "classification by tau (tau < 4.18): 1 = perovskite, -1 = not"),
    "tau_prob": ("dimensionless", "Platt-calibrated probability of being a perovskite, 0 to 1"),
}


def _bartel_columns(names: str, **special: tuple[str | None, str]) -> tuple[ColumnInfo, ...]:
    table = {**_BARTEL_COLUMNS, **special}
    return tuple(ColumnInfo(name, *table[name]) for name in names.split(","))


def _bartel(name: str, file: str, **fields: object) -> DatasetInfo:
    url, source = github_raw(_BARTEL_REPO, _BARTEL_COMMIT, file)
    return DatasetInfo(
        name=name, folder="bartel2019_perovskite_tau", file=file, url=url, source=source,
        citation=_BARTEL_CITATION, licence=_BARTEL_LICENCE, **fields,  # type: ignore[arg-type]
    )


_BARTEL_RECOMPUTE_NOTE = (
    "tau was computed by the authors from unrounded radii: recomputing it from the rounded radii "
    "deviates strongly where rA is close to rB (ln(rA/rB) near 0); use the tau column as given"
)

BARTEL_PEROVSKITES = _bartel(
    "bartel_perovskites", "TableS1.csv",
    description="576 experimentally characterised ABX3 solids: perovskite or not, with radii, "
                "oxidation states, t and tau (Bartel 2019, Table S1)",
    sha256="bea471ddb1ed63dcb94cc9cbc58c73f3bc1a12918e96cf24818b3aea2cbe3656",
    n_rows=576,
    columns=_bartel_columns(
        "ABX3,exp_label,is_train,A,B,X,nA,nB,nX,rA (Ang),rB (Ang),rX (Ang),t,tau,t_pred,tau_pred,tau_prob",
        ABX3=(None, "formula in the paper's A/B order (not canonical; use the A, B, X columns)"),
        exp_label=(None, "experimental label: 1 = perovskite (313), -1 = non-perovskite (263)"),
        is_train=(None, "1 = in the paper's 80 % training split (460 rows), -1 = test split (116)"),
        **{"rA (Ang)": ("angstrom", "Shannon radius of the A site (12-fold where available), rounded to 0.01")},
    ),
    target="exp_label", task="classification",
    features=("rA (Ang)", "rB (Ang)", "rX (Ang)", "nA", "nB", "nX"),
    read=ReadOptions(integer_columns=("exp_label",)),
    notes=(
        "exp_label is written 1.0/-1.0 in the file and loaded as integers",
        "t, tau, t_pred, tau_pred and tau_prob are derived from the radii: leave them out of the "
        "features when rediscovering a tolerance factor",
        _BARTEL_RECOMPUTE_NOTE,
    ),
)

BARTEL_DOUBLE_DFT = _bartel(
    "bartel_double_perovskites_dft", "TableS2.csv",
    description="73 A2BB'X6 double perovskites: DFT decomposition enthalpy from the literature "
                "vs tau (Bartel 2019, Table S2)",
    sha256="44d201e9f9811c0255881db8969108796c2aa064847d5d1c98d6a84660c11248",
    n_rows=73,
    columns=_bartel_columns(
        "compound,source,dHdec (meV/atom),A,B1,B2,X,nA,nB1,nB2,rA (Ang),rB1 (Ang),rB2 (Ang),rX (Ang),"
        "t,tau,t_pred,tau_pred,tau_prob",
        compound=(None, "A2BB'X6 formula"),
        source=(None, "DOI of the DFT study the enthalpy is taken from"),
        **{"dHdec (meV/atom)": ("meV", "DFT decomposition enthalpy, per atom (sign convention of "
                                       "the paper's Table S2)")},
    ),
    target="dHdec (meV/atom)", task="regression",
    features=("rA (Ang)", "rB1 (Ang)", "rB2 (Ang)", "rX (Ang)", "nA", "nB1", "nB2"),
    notes=("energies are per atom; pint has no 'atom' unit, so the unit is meV and the column "
           "description says per atom", "enthalpies come from several DFT studies (see 'source')"),
)

BARTEL_DOUBLE_PREDICTED = _bartel(
    "bartel_double_perovskites_predicted", "TableS3.csv",
    description="2021 Cs2BB'Cl6 and MA2BB'Br6 double perovskites with tau predictions, no "
                "experimental labels (Bartel 2019, Table S3)",
    sha256="336e83c4548bd2cd9f70c561824a10255885f6963a191fec82ad1b22cd2da977",
    n_rows=2021,
    columns=_bartel_columns(
        "compound,A,B1,B2,X,nA,nB1,nB2,nX,rA (Ang),rB1 (Ang),rB2 (Ang),rB (Ang),rX (Ang),"
        "t,tau,t_pred,tau_pred,tau_prob",
        compound=(None, "A2BB'X6 formula; MA = methylammonium"),
        **{"rB (Ang)": ("angstrom", "mean of the rB1 and rB2 radii")},
    ),
    target="tau", task="regression",
    features=("rA (Ang)", "rB (Ang)", "rX (Ang)", "nA"),
    notes=("predictions, not measurements: the target tau is a formula of the default features, "
           "which makes this a rediscovery benchmark", _BARTEL_RECOMPUTE_NOTE),
)

BARTEL_DOUBLE_ICSD = _bartel(
    "bartel_double_perovskites_icsd", "icsd_A2BBX6.csv",
    description="918 A2BB'X6 compounds from ICSD labelled perovskite or not, used to validate tau "
                "(Bartel 2019 companion data)",
    sha256="ec1a495cf89eefad7b6a36c2a7b33d252a6d5ec478e67c40309fae397a98f2ef",
    n_rows=918,
    columns=_bartel_columns(
        "A2BBX6,tau,tau_prob,tau_pred,t,t_pred,A,B1,B2,X,rA,rB1,rB2,rX,nA,nB1,nB2,nX,icsd_label",
        A2BBX6=(None, "A2BB'X6 formula"),
        icsd_label=(None, "ICSD label: 1 = perovskite (868 rows), -1 = not (50 rows)"),
    ),
    target="icsd_label", task="classification",
    features=("rA", "rB1", "rB2", "rX", "nA", "nB1", "nB2", "nX"),
    read=ReadOptions(integer_columns=("icsd_label",)),
    notes=("icsd_label is written 1.0/-1.0 in the file and loaded as integers",
           "strongly imbalanced: 868 perovskites vs 50 non-perovskites; tau_pred agrees with "
           "icsd_label for 91.0 % of rows"),
)

# ------------------------------------------------------------------ Filip & Giustino 2018
_FILIP_REPO = "AniruthAnanth/perovskite_sr"
_FILIP_COMMIT = "34893f79362abc0a3d412a26e965ff56014cf255"
_FILIP_CITATION = (
    "M. R. Filip, F. Giustino, 'The geometric blueprint of perovskites', PNAS 115, 5397-5402 (2018). "
    "DOI: 10.1073/pnas.1719179115; data: Materials Cloud archive 2018.0012/v1 "
    "(paper identified from the record id, not stated in the re-hosting repository)"
)
_FILIP_LICENCE = ("none in the GitHub re-host; Materials Cloud records are normally CC BY 4.0 "
                  "(not verified for this record)")


def _filip_columns(*middle: ColumnInfo) -> tuple[ColumnInfo, ...]:
    sites = (("A", "A site"), ("B", "B site"), ("B'", "B' site (equal to B for single perovskites)"),
             ("X", "X (anion) site"))
    tail = []
    for site, words in sites:
        tail.append(ColumnInfo(site, None, f"element on the {words}"))
        tail.append(ColumnInfo(f"{site} Oxidation State", "dimensionless", f"oxidation state of the {site} site"))
    return (ColumnInfo("Compound", None, "formula"), *middle,
            ColumnInfo("Source (ICSD ID or reference)", None, "ICSD id or literature reference"), *tail)


_FILIP_NA_NOTE = ("read with pandas' default missing-value list switched off (only empty fields are "
                  "missing), so an element written 'NA' (sodium) is not turned into NaN")
_url, _source = github_raw(_FILIP_REPO, _FILIP_COMMIT, "Database_S1.1.csv")
FILIP_PEROVSKITES = DatasetInfo(
    name="filip_perovskites",
    description="1622 known perovskites (ABX3 and A2BB'X6) with site elements and oxidation states "
                "(Filip & Giustino 2018, Database S1.1)",
    folder="perovskite_formability_filip2018", file="Database_S1.1.csv", url=_url, source=_source,
    sha256="512a0891c72ecbfb4cdcb2feebc914aed4951acbe324c7e0588635f1faf62baf",
    citation=_FILIP_CITATION, licence=_FILIP_LICENCE, n_rows=1622,
    columns=_filip_columns(),
    target=None, task=None,
    read=ReadOptions(missing_markers=("",), strip_header=True, value_fixes=(("B", "NA", "Na"),)),
    notes=(_FILIP_NA_NOTE,
           "the second Cs2NaLuBr6 entry (file line 869) writes its B element as 'NA'; it is loaded as "
           "the symbol 'Na'",
           "the header ' B Oxidation State' has a leading space in the file; column names are stripped",
           "one class only: combine with filip_non_perovskites for a formability label",
           "Cs2NaLuBr6 and Cs2NaYbF6 are each listed twice, with different sources"),
)

_url, _source = github_raw(_FILIP_REPO, _FILIP_COMMIT, "Database_S1.2.csv")
FILIP_NON_PEROVSKITES = DatasetInfo(
    name="filip_non_perovskites",
    description="592 known non-perovskites with structure type, site elements and oxidation states "
                "(Filip & Giustino 2018, Database S1.2)",
    folder="perovskite_formability_filip2018", file="Database_S1.2.csv", url=_url, source=_source,
    sha256="f819ba965ddb35a397a49daf9a1997958e5c1c9c81342c1fa7646d3d1726676a",
    citation=_FILIP_CITATION, licence=_FILIP_LICENCE, n_rows=592,
    columns=_filip_columns(ColumnInfo("Structure type", None, "e.g. Ilmenite, 'ABX3 - other', Olivine")),
    target=None, task=None,
    read=ReadOptions(
        header_names=("Compound", "Structure type", "Source (ICSD ID or reference)", "A", "A Oxidation State",
                      "B", "B Oxidation State", "B'", "B' Oxidation State", "X", "X Oxidation State"),
        missing_markers=("",),
    ),
    notes=("the file's header lists 10 names but every row has 11 fields (the 'Structure type' name "
           "is missing); the corrected 11-name header is applied when reading", _FILIP_NA_NOTE,
           "one class only: combine with filip_perovskites for a formability label"),
)

PEROVSKITE_DATASETS: tuple[DatasetInfo, ...] = (
    BARTEL_PEROVSKITES, BARTEL_DOUBLE_DFT, BARTEL_DOUBLE_PREDICTED, BARTEL_DOUBLE_ICSD,
    FILIP_PEROVSKITES, FILIP_NON_PEROVSKITES,
)
