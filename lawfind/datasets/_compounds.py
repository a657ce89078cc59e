"""Registry entries: DFT compound sets (octet binaries, ABO3 and double-perovskite oxides)."""

from __future__ import annotations

from lawfind.datasets._info import ColumnInfo, DatasetInfo, ReadOptions, github_raw

__all__ = ["COMPOUND_DATASETS"]

_MATMINER_REPO = "Zhang-NJ-Lab/Datasets"
_MATMINER_COMMIT = "02c69072520ce5be65e2e51b0d237e8dc90d9a53"
_MATMINER_LICENCE = "not stated in the re-hosting repository (Zhang-NJ-Lab/Datasets re-hosts matminer data)"
_INDEX_NOTE = "the first, unnamed column is a pandas row index; it is read as the frame's index"
_PER_ATOM_NOTE = ("energies are per atom; pint has no 'atom' unit, so the unit is eV and the column "
                  "description says per atom")

# ------------------------------------------------------------------ Emery & Wolverton 2017
_url, _source = github_raw(_MATMINER_REPO, _MATMINER_COMMIT, "wolverton_oxides.csv")
ABO3_PEROVSKITES = DatasetInfo(
    name="abo3_perovskites",
    description="4914 ABO3 perovskite oxides: DFT formation energy, hull distance, lattice and "
                "O-vacancy energy (Emery & Wolverton 2017, matminer wolverton_oxides)",
    folder="abo3_perovskites_emery2017", file="wolverton_oxides.csv", url=_url, source=_source,
    sha256="5768d358f143792e520348dd1f8395fe9fe5b9f756c4ea2fe32d8e5e57535ab2",
    citation=("A. A. Emery, C. Wolverton, 'High-throughput DFT calculations of formation energy, "
              "stability and oxygen vacancy formation energy of ABO3 perovskites', Scientific Data 4, "
              "170153 (2017). DOI: 10.1038/sdata.2017.153"),
    licence=_MATMINER_LICENCE + "; the original figshare deposit (DOI 10.6084/m9.figshare.5334142) is "
                                "probably CC BY 4.0 (not verified)",
    n_rows=4914,
    columns=(
        ColumnInfo("formula", None, "e.g. AcAgO3; 66 rows have atom a == atom b (e.g. Ac2O3)"),
        ColumnInfo("atom a", None, "A-site element"),
        ColumnInfo("atom b", None, "B-site element"),
        ColumnInfo("lowest distortion", None, "lowest-energy distortion: cubic, orthorhombic, "
                                              "rhombohedral or tetragonal"),
        ColumnInfo("e_form", "eV", "DFT formation energy, per atom"),
        ColumnInfo("e_hull", "eV", "energy above the OQMD convex hull, per atom (negative: below the "
                                   "hull known at the time)"),
        ColumnInfo("mu_b", "bohr_magneton", "magnetic moment; 947 rows are '-' in the file (missing)"),
        ColumnInfo("vpa", "angstrom**3", "volume per atom"),
        ColumnInfo("gap pbe", "eV", "PBE band gap (mostly 0)"),
        *(ColumnInfo(c, "angstrom", f"lattice parameter {c}") for c in ("a", "b", "c")),
        *(ColumnInfo(c, "degree", f"lattice angle {c}") for c in ("alpha", "beta", "gamma")),
        ColumnInfo("e_form oxygen", "eV", "oxygen vacancy formation energy, per O atom"),
    ),
    target="e_form", task="regression",
    read=ReadOptions(index_col=0, column_missing=(("mu_b", ("-",)),)),
    notes=(_INDEX_NOTE, "'-' in mu_b means missing and is read as NaN (947 rows)", _PER_ATOM_NOTE,
           "no default features: the inputs are the A and B elements; featurize 'atom a' and 'atom b' "
           "or pass features=",
           "DFT stability (e_hull) is not experimental formability",
           "matminer's cleaned subset: 4914 of the original 5329 compounds"),
)

# ------------------------------------------------------------------ Pilania et al. 2016
_url, _source = github_raw(_MATMINER_REPO, _MATMINER_COMMIT, "double_perovskites_gap.csv")
DOUBLE_PEROVSKITE_GAPS = DatasetInfo(
    name="double_perovskite_gaps",
    description="1306 A1B1A2B2O6 double-perovskite oxides with GLLB-SC band gaps (Pilania 2016, "
                "matminer double_perovskites_gap)",
    folder="double_perovskite_gap_pilania2016", file="double_perovskites_gap.csv", url=_url,
    source=_source,
    sha256="dada836df58ea08eb8f724db670324bcb82c355e64677c3fd8d41be16b631c5d",
    citation=("G. Pilania, A. Mannodi-Kanakkithodi, B. P. Uberuaga, R. Ramprasad, J. E. Gubernatis, "
              "T. Lookman, 'Machine learning bandgaps of double perovskites', Sci. Rep. 6, 19375 (2016). "
              "DOI: 10.1038/srep19375 (data: Computational Materials Repository, DTU)"),
    licence=_MATMINER_LICENCE + "; CMR data are openly published by DTU",
    n_rows=1306,
    columns=(
        ColumnInfo("formula", None, "A1 B1 A2 B2 O6, e.g. AgNbLaAlO6"),
        ColumnInfo("a_1", None, "element on the A1 site"),
        ColumnInfo("b_1", None, "element on the B1 site"),
        ColumnInfo("a_2", None, "element on the A2 site"),
        ColumnInfo("b_2", None, "element on the B2 site"),
        ColumnInfo("gap gllbsc", "eV", "band gap from the GLLB-SC functional (0.107 to 8.343)"),
    ),
    target="gap gllbsc", task="regression",
    read=ReadOptions(index_col=0),
    notes=(_INDEX_NOTE,
           "no default features: the inputs are site elements; featurize them (the companion file "
           "double_perovskites_gap_lumo.csv gives atomic LUMO energies) or pass features="),
)

_url, _source = github_raw(_MATMINER_REPO, _MATMINER_COMMIT, "double_perovskites_gap_lumo.csv")
DOUBLE_PEROVSKITE_LUMO = DatasetInfo(
    name="double_perovskite_lumo",
    description="Atomic LUMO energies of the 55 elements of the double-perovskite gap set (Pilania 2016, "
                "matminer companion table)",
    folder="double_perovskite_gap_pilania2016", file="double_perovskites_gap_lumo.csv", url=_url,
    source=_source,
    sha256="101582f37cd95070548c70f4a1b6fba647533166ccfe3a9e12895317476dcb3f",
    citation=DOUBLE_PEROVSKITE_GAPS.citation,
    licence=DOUBLE_PEROVSKITE_GAPS.licence,
    n_rows=55,
    columns=(
        ColumnInfo("atom", None, "element symbol"),
        ColumnInfo("lumo", "eV", "atomic LUMO energy (-4.31 to -0.23)"),
    ),
    target=None, task=None,
    read=ReadOptions(index_col=0),
    notes=(_INDEX_NOTE, "a lookup table (element -> LUMO), not a learning task"),
)

# ------------------------------------------------------------------ Ghiringhelli et al. 2015
_SITES = {"A": "A (cation-like, at the origin)", "B": "B (anion-like)"}


def _atomic(prefix: str, unit: str | None, meaning: str) -> tuple[ColumnInfo, ...]:
    return tuple(ColumnInfo(f"{prefix}_{s}", unit, f"{meaning} of atom {site}") for s, site in _SITES.items())


OCTET_BINARIES = DatasetInfo(
    name="octet_binaries",
    description="82 octet binary compounds: E(rocksalt) - E(zincblende) with free-atom features of A "
                "and B (Ghiringhelli 2015)",
    folder="octet_binaries_ghiringhelli2015", file="octet_binaries_82.csv",
    url=None,
    source=("derived by the data curators from jlteunissen/analytics-compressed-sensing@"
            "d071820a8b7bb01f5588ebc4ad04b0ac70fae898:data/compressed_sensing/RS_structures.xyz and "
            "ZB_structures.xyz (the XYZ frame headers parsed into one CSV, no values changed; copy of "
            "the NOMAD 'Symbolic regression via compressed sensing' tutorial)"),
    sha256="dd67d1a8533c99f8d258cb1c7fa697c9bd292fe9dadfa0dbeaf36ce87050b8c7",
    citation=("L. M. Ghiringhelli, J. Vybiral, S. V. Levchenko, C. Draxl, M. Scheffler, 'Big Data of "
              "Materials Science: Critical Role of the Descriptor', Phys. Rev. Lett. 114, 105503 (2015). "
              "DOI: 10.1103/PhysRevLett.114.105503; also New J. Phys. 19, 023017 (2017), "
              "DOI: 10.1088/1367-2630/aa57bf"),
    licence="none stated in the GitHub copy; NOMAD tutorial data distributed as open data by FHI Berlin",
    n_rows=82,
    columns=(
        ColumnInfo("material", None, "A+B, e.g. AgBr; elemental solids are written C2, Si2, Ge2, Sn2"),
        ColumnInfo("A", None, "element A (cation-like, at the origin)"),
        ColumnInfo("B", None, "element B (anion-like)"),
        ColumnInfo("delta_E_RS_minus_ZB_eV_per_atom", "eV",
                   "E(rocksalt) - E(zincblende), per atom; positive means zincblende is more stable"),
        ColumnInfo("min_struc_type", None, "RS if delta_E < 0, otherwise ZB (41 / 41)"),
        ColumnInfo("energy_RS_eV_per_atom", "eV", "LDA total energy of the rocksalt structure, per atom"),
        ColumnInfo("energy_ZB_eV_per_atom", "eV", "LDA total energy of the zincblende structure, per atom"),
        *_atomic("Z", "dimensionless", "atomic number"),
        *_atomic("period", "dimensionless", "periodic-table row"),
        *_atomic("IP", "eV", "ionization potential (stored as a negative number)"),
        *_atomic("EA", "eV", "electron affinity (stored as a negative number)"),
        *_atomic("E_HOMO", "eV", "Kohn-Sham HOMO energy"),
        *_atomic("E_LUMO", "eV", "Kohn-Sham LUMO energy"),
        *_atomic("r_s", "angstrom", "radius of maximal s-orbital radial density"),
        *_atomic("r_p", "angstrom", "radius of maximal p-orbital radial density"),
        *_atomic("r_d", "angstrom", "radius of maximal d-orbital radial density"),
        ColumnInfo("a_RS_Ang", "angstrom", "cubic lattice constant of the rocksalt structure"),
        ColumnInfo("a_ZB_Ang", "angstrom", "cubic lattice constant of the zincblende structure"),
    ),
    target="delta_E_RS_minus_ZB_eV_per_atom", task="regression",
    features=tuple(f"{p}_{s}" for p in ("IP", "EA", "E_HOMO", "E_LUMO", "r_s", "r_p", "r_d") for s in "AB"),
    notes=("the CSV was converted from XYZ files by the data curators, so there is no download: "
           "use a mirror (LAWFIND_DATA_DIR)",
           "IP and EA are stored as negative numbers (not the textbook sign); flip them if needed",
           _PER_ATOM_NOTE + "; later papers quote delta_E for this set per atom or per atom pair, so "
           "check the normalisation before comparing coefficients",
           "energy_RS/energy_ZB give the target exactly: keep them out of the features"),
)

COMPOUND_DATASETS: tuple[DatasetInfo, ...] = (OCTET_BINARIES, ABO3_PEROVSKITES, DOUBLE_PEROVSKITE_GAPS,
                                               DOUBLE_PEROVSKITE_LUMO)
