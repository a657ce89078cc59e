"""Registry entries: steels (NIMS fatigue, Citrine strength) and metallic-glass formability."""

from __future__ import annotations

from lawfind.datasets._info import ColumnInfo, DatasetInfo, ReadOptions, github_raw

__all__ = ["ALLOY_DATASETS"]

_MATMINER_REPO = "Zhang-NJ-Lab/Datasets"
_MATMINER_COMMIT = "02c69072520ce5be65e2e51b0d237e8dc90d9a53"
_MATMINER_LICENCE = "not stated in the re-hosting repository (Zhang-NJ-Lab/Datasets re-hosts matminer data)"
_INDEX_NOTE = "the first, unnamed column is a pandas row index; it is read as the frame's index"
_MATBENCH = ("A. Dunn, Q. Wang, A. Ganose, D. Dopp, A. Jain, 'Benchmarking materials property prediction "
             "methods: the Matbench test set and Automatminer reference algorithm', npj Comput. Mater. 6, "
             "138 (2020). DOI: 10.1038/s41524-020-00406-3")
_NO_FEATURES = ("no default features: the only input is a composition string; featurize it "
                "(e.g. element fractions) or pass features=")


def _wt(elements: str, unit: str = "percent") -> tuple[ColumnInfo, ...]:
    return tuple(ColumnInfo(e, unit, f"{e.capitalize()} content, wt% (Fe balance)") for e in elements.split(","))


# ------------------------------------------------------------------ NIMS fatigue
_url, _source = github_raw("ilanrosc/steel-fatigue-prediction", "5b988cd99b01a45796550186b28eb72a73996f23",
                           "data/archive/data.csv")
STEEL_FATIGUE_NIMS = DatasetInfo(
    name="steel_fatigue_nims",
    description="437 NIMS steels: composition, processing and inclusions -> rotating-bending fatigue "
                "strength (Agrawal 2014)",
    folder="steel_fatigue_nims", file="agrawal2014_nims_fatigue_437.csv", url=_url, source=_source,
    sha256="e26e1cc9a77e485d9b8f8fcdccabbf6e2a8f835d46132ba1dbc8911ec1c5cc0b",
    citation=("A. Agrawal, P. D. Deshpande, A. Cecen, G. P. Basavarsu, A. N. Choudhary, S. R. Kalidindi, "
              "'Exploration of data science techniques to predict fatigue strength of steel from "
              "composition and processing parameters', Integrating Materials and Manufacturing Innovation "
              "3, 8 (2014). DOI: 10.1186/2193-9772-3-8 (data: NIMS MatNavi Fatigue Data Sheets)"),
    licence="not stated for the data (public NIMS data; the re-hosting repository is MIT)",
    n_rows=437,
    columns=(
        ColumnInfo("NT", "degC", "normalizing temperature"),
        ColumnInfo("THT", "degC", "through-hardening temperature"),
        ColumnInfo("THt", "min", "through-hardening time"),
        ColumnInfo("THQCr", None, "through-hardening cooling rate (unit not stated)"),
        ColumnInfo("CT", "degC", "carburization temperature"),
        ColumnInfo("Ct", "min", "carburization time"),
        ColumnInfo("DT", "degC", "diffusion temperature"),
        ColumnInfo("Dt", "min", "diffusion time"),
        ColumnInfo("QmT", "degC", "quenching-media temperature (carburization)"),
        ColumnInfo("TT", "degC", "tempering temperature"),
        ColumnInfo("Tt", "min", "tempering time"),
        ColumnInfo("TCr", None, "tempering cooling rate (unit not stated)"),
        *_wt("C,Si,Mn,P,S,Ni,Cr,Cu,Mo"),
        ColumnInfo("RedRatio", "dimensionless", "reduction ratio, ingot to bar"),
        ColumnInfo("dA", None, "area proportion of inclusions deformed by plastic work"),
        ColumnInfo("dB", None, "area proportion of inclusions in discontinuous arrays"),
        ColumnInfo("dC", None, "area proportion of isolated inclusions"),
        ColumnInfo("Fatigue", "MPa", "rotating-bending fatigue strength at 10^7 cycles (225 to 1190)"),
    ),
    target="Fatigue", task="regression",
    features=("NT", "THT", "THt", "THQCr", "CT", "Ct", "DT", "Dt", "QmT", "TT", "Tt", "TCr",
              "C", "Si", "Mn", "P", "S", "Ni", "Cr", "Cu", "Mo", "RedRatio", "dA", "dB", "dC"),
    read=ReadOptions(index_col="Sl. No."),
    notes=("'Sl. No.' (row id 1 to 437) is read as the frame's index, not as a feature",
           "a process step that was not applied is encoded as 30 degC (room temperature) and time 0",
           "three process groups: 378 through-hardened and tempered, 48 carburized (CT > 30), "
           "11 normalized only"),
)

_url, _source = github_raw("George-JieXIONG/Materials-Dataset", "9bb0c22b9b567ab167435f71e7145c359b366c1f",
                           "Chapter4/NIMS-Fatigue.csv")
STEEL_HARDNESS_NIMS = DatasetInfo(
    name="steel_hardness_nims",
    description="360 NIMS steels with fatigue, tensile and fracture strength and hardness: the "
                "hardness-strength relation (Xiong 2020)",
    folder="steel_fatigue_nims", file="xiong2020_nims_fatigue_hardness_360.csv", url=_url, source=_source,
    sha256="457c974d74d07d4ef664a5f91233284f0941dd02af1ac7d06f1dd0fde1fc1249",
    citation=("J. Xiong, T.-Y. Zhang, S.-Q. Shi, 'Machine learning of mechanical properties of steels', "
              "Science China Technological Sciences 63, 1247-1255 (2020). DOI: 10.1007/s11431-020-1599-5 "
              "(data: NIMS MatNavi Fatigue Data Sheets)"),
    licence="GPL-3.0 (LICENSE of George-JieXIONG/Materials-Dataset)",
    n_rows=360,
    columns=(
        ColumnInfo("Normalized Temperature", "degC", "normalizing temperature (825 to 900)"),
        ColumnInfo("Quenching Temperature", "degC", "through-hardening quenching temperature"),
        ColumnInfo("Temperaing Temperature", "degC", "tempering temperature (header misspelt in the source)"),
        *_wt("C,Si,Mn,P,S,Ni,Cr,Cu,Mo"),
        ColumnInfo("RR", "dimensionless", "reduction ratio, ingot to bar"),
        ColumnInfo("dA", None, "area proportion of inclusions deformed by plastic work"),
        ColumnInfo("dB", None, "area proportion of inclusions in discontinuous arrays"),
        ColumnInfo("dC", None, "area proportion of isolated inclusions"),
        ColumnInfo("Fatigue Strength (10E7 Cycles)", "MPa", "rotating-bending fatigue strength at 10^7 cycles"),
        ColumnInfo("Tensile Strength", "MPa", "ultimate tensile strength (613 to 1206)"),
        ColumnInfo("Fracture Strength", "MPa", "true fracture strength"),
        ColumnInfo("Hardness", "kgf/mm**2", "hardness, 195 to 380; the file does not state the scale, "
                                            "treated as Vickers HV (kgf/mm^2)"),
    ),
    target="Tensile Strength", task="regression", features=("Hardness",),
    notes=("a strict subset of steel_fatigue_nims (normalize, quench and temper only; no carburized steels)",
           "the Hardness scale is not stated in the file; HV is inferred from the NIMS data sheets "
           "and UTS/Hardness ~ 3.1",
           "reference (not data): Pavlina & Van Tyne 2008 quote UTS = -99.8 + 3.734 HV and "
           "YS = -90.7 + 2.876 HV (MPa)"),
)

# ------------------------------------------------------------------ Citrine / matminer steels
_STEEL_CITATION = ("Citrine Informatics, 'Mechanical properties of some steels' (citrination.com dataset "
                   "153092, offline), via matminer 'steel_strength'")
_url, _source = github_raw(_MATMINER_REPO, _MATMINER_COMMIT, "steel_strength.csv")
STEEL_STRENGTH = DatasetInfo(
    name="steel_strength",
    description="312 ultra-high-strength steels: alloying wt% -> yield strength, tensile strength, "
                "elongation (Citrine, matminer steel_strength)",
    folder="steel_strength_citrine", file="steel_strength.csv", url=_url, source=_source,
    sha256="9c47a884993a90f26c36b750e7e41ea8df211fea9ad700b89b51e2cf7d48bd8e",
    citation=_STEEL_CITATION, licence=_MATMINER_LICENCE + "; cite Citrine and matminer",
    n_rows=312,
    columns=(
        ColumnInfo("formula", None, "composition as atomic fractions, Fe balance"),
        *_wt("c,mn,si,cr,ni,mo,v,n,nb,co,w,al,ti"),
        ColumnInfo("yield strength", "MPa", "yield strength (1005.9 to 2510.3)"),
        ColumnInfo("tensile strength", "MPa", "ultimate tensile strength (1019 to 2570)"),
        ColumnInfo("elongation", "percent", "elongation (2 to 35); 9 rows missing"),
    ),
    target="yield strength", task="regression",
    features=("c", "mn", "si", "cr", "ni", "mo", "v", "n", "nb", "co", "w", "al", "ti"),
    read=ReadOptions(index_col=0),
    notes=(_INDEX_NOTE, "elongation has 9 missing values (use dropna=True if it is the target)",
           "only steels with yield strength > 1 GPa (maraging, stainless-type): do not extrapolate "
           "to mild steels", "no processing information: composition alone does not fix strength"),
)

_url, _source = github_raw(_MATMINER_REPO, _MATMINER_COMMIT, "matbench_steels.csv")
MATBENCH_STEELS = DatasetInfo(
    name="matbench_steels",
    description="Matbench v0.1 task: 312 steel compositions -> yield strength (same rows as steel_strength)",
    folder="steel_strength_citrine", file="matbench_steels.csv", url=_url, source=_source,
    sha256="585a3561136a7409c3db267653406b99c15f021dec2d88dbc04111db4f645998",
    citation=_MATBENCH + "; " + _STEEL_CITATION, licence=_MATMINER_LICENCE, n_rows=312,
    columns=(ColumnInfo("composition", None, "composition as atomic fractions, Fe balance"),
             ColumnInfo("yield strength", "MPa", "yield strength")),
    target="yield strength", task="regression",
    read=ReadOptions(index_col=0),
    notes=(_INDEX_NOTE, _NO_FEATURES, "Matbench's nested-CV folds need the row order as given"),
)

# ------------------------------------------------------------------ metallic glasses
_GFA = ColumnInfo("gfa", None, "glass-forming ability: 1 = amorphous (AM), 0 = not")
_PHASE = ColumnInfo("phase", None, "AM amorphous, CR crystalline, AC composite, QC quasicrystalline")


def _glass(name: str, file: str, sha256: str, n_rows: int, description: str, citation: str,
           columns: tuple[ColumnInfo, ...], notes: tuple[str, ...] = ()) -> DatasetInfo:
    url, source = github_raw(_MATMINER_REPO, _MATMINER_COMMIT, file)
    return DatasetInfo(
        name=name, description=description, folder="metallic_glass_gfa", file=file, url=url, source=source,
        sha256=sha256, citation=citation, licence=_MATMINER_LICENCE, n_rows=n_rows, columns=columns,
        target="gfa", task="classification", read=ReadOptions(index_col=0),
        notes=(_INDEX_NOTE, _NO_FEATURES, *notes),
    )


_FORMULA = ColumnInfo("formula", None, "composition in at.%, e.g. Ag20Al25La55")
_LANDOLT = ("Y. Kawazoe, T. Masumoto, A.-P. Tsai, J.-Z. Yu, T. Aihara Jr., Landolt-Boernstein 'Nonequilibrium "
            "Phase Diagrams of Ternary Amorphous Alloys' (Springer 1997), DOI: 10.1007/10510374_2; curated "
            "by L. Ward et al., npj Comput. Mater. 2, 16028 (2016), DOI: 10.1038/npjcompumats.2016.28")
_SUN = ("Y. T. Sun, H. Y. Bai, M. Z. Li, W. H. Wang, 'Machine Learning Approach for Prediction and "
        "Understanding of Glass-Forming Ability', J. Phys. Chem. Lett. 8, 3434 (2017). "
        "DOI: 10.1021/acs.jpclett.7b01046")

GLASS_DATASETS: tuple[DatasetInfo, ...] = (
    _glass("glass_ternary_landolt", "glass_ternary_landolt.csv",
           "d14c6f2cfb5120a840445707a4cb92b13f4921f63e263afe1b3389d01a956042", 7191,
           "7191 ternary alloys (melt-spun or sputtered): glass or not (Landolt-Boernstein, Ward 2016)",
           _LANDOLT,
           (_FORMULA, _PHASE, ColumnInfo("processing", None, "meltspin (6780) or sputtering (411)"), _GFA),
           ("1073 duplicate formulas (repeated experiments or other processing); 6203 after de-duplication",)),
    _glass("glass_binary", "glass_binary.csv",
           "dcf4625f1ae7dc2d2c3463e83baef37db85c4a739ee28ab2f85cd031f50db1e9", 5959,
           "5959 binary alloys in 59 systems at 5 at.% steps: glass or not (Sun 2017)", _SUN,
           (_FORMULA, _GFA), ("404 duplicate formulas; glass_binary_v2 merges them",)),
    _glass("glass_binary_v2", "glass_binary_v2.csv",
           "d52b0b85411de459c091a09dfe6cb78c1af1a7e764ab4c660909f582cb7f0b55", 5483,
           "5483 binary alloys, duplicates merged (gfa = 1 where they disagreed) (Sun 2017)", _SUN,
           (_FORMULA, _GFA)),
    _glass("glass_ternary_hipt", "glass_ternary_hipt.csv",
           "218dbf327b1874f17d440afa0ad9115f22896691eae118564e8d36b852d1c53b", 5170,
           "5170 high-throughput sputtered Co-Fe-Zr, Co-Ti-Zr, Co-V-Zr, Fe-Ti-Nb alloys: glass or not "
           "(Ren 2018)",
           ("F. Ren et al., 'Accelerated discovery of metallic glasses through iteration of machine learning "
            "and high-throughput experiments', Sci. Adv. 4, eaaq1566 (2018). DOI: 10.1126/sciadv.aaq1566"),
           (_FORMULA, ColumnInfo("system", None, "alloy system, e.g. CoFeZr"),
            ColumnInfo("processing", None, "sputtering"), _PHASE, _GFA)),
    _glass("matbench_glass", "matbench_glass.csv",
           "2fff13b9a3125e0ce5399b8b2ae04bef5ca2b40b23b3a47ed0edf486e2f2e9a8", 5680,
           "Matbench v0.1 task: 5680 de-duplicated Landolt compositions -> glass or not",
           _MATBENCH + "; " + _LANDOLT,
           (ColumnInfo("composition", None, "composition string, e.g. Al(NiB)2"),
            ColumnInfo("gfa", None, "glass-forming ability: True (4035) or False (1645)")),
           ("Matbench's nested-CV folds need the row order as given",)),
)

ALLOY_DATASETS: tuple[DatasetInfo, ...] = (
    STEEL_FATIGUE_NIMS, STEEL_HARDNESS_NIMS, STEEL_STRENGTH, MATBENCH_STEELS, *GLASS_DATASETS,
)
