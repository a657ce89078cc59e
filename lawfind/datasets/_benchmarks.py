"""Registry entries: the SRBench Strogatz ODE tasks (noise-free laws with a known answer)."""

from __future__ import annotations

from lawfind.datasets._info import ColumnInfo, DatasetInfo, github_raw

__all__ = ["BENCHMARK_DATASETS"]

_REPO = "lacava/ode-strogatz"
_COMMIT = "9e24b3ab8594cf4d32af27f09b5d800fd6b7130b"
_CITATION = (
    "S. Strogatz, 'Nonlinear Dynamics and Chaos' (Westview, 2014); W. La Cava, K. Danai, L. Spector, "
    "'Inference of compact nonlinear dynamic models by epigenetic local search', Eng. Appl. Artif. "
    "Intell. 55, 292-306 (2016), DOI: 10.1016/j.engappai.2016.07.004; W. La Cava et al., SRBench, "
    "NeurIPS Datasets & Benchmarks 2021 (arXiv:2107.14351)"
)

# task -> (system, true law, sha256); the laws are PMLB's metadata, verified against the data to 2e-13
_TASKS: dict[str, tuple[str, str, str]] = {
    "bacres1": ("bacterial respiration", "20 - x - x*y/(1 + 0.5*x**2)",
                "15ad9b1dff17e8d53b32b03f5deb1570a365c4ee3b3e0e38a2793fc569f689c5"),
    "bacres2": ("bacterial respiration", "10 - x*y/(1 + 0.5*x**2)",
                "82c37eabe6469378648ef4379c9d114782508e9d1f4fef183a29dac133e048c9"),
    "barmag1": ("bar magnets", "0.5*sin(x - y) - sin(x)",
                "30a273aedd9a5f5c5bb91b6bd4cfabf33d1c8a6707f7c75379061ed43999b4bd"),
    "barmag2": ("bar magnets", "0.5*sin(y - x) - sin(y)",
                "cced48cd91a67a818c9bdc214b84850e8ca997e0b29228a45f270c033ba30e56"),
    "glider1": ("glider", "-0.05*x**2 - sin(y)",
                "a7e558ec30909fe6a55780227fe9fe5db6f50fe9eee2b7cfb2b069dab1d651bc"),
    "glider2": ("glider", "x - cos(y)/x",
                "062427be3327a34e09562135c7552bbe5bd0fa5f241fd1c8388f7d9005511811"),
    "lv1": ("Lotka-Volterra species competition", "3*x - 2*x*y - x**2",
            "9fea69b3ec54715eeb75ac1b0d0529b4158eaa6110d10964a39c44a4fd3e9231"),
    "lv2": ("Lotka-Volterra species competition", "2*y - x*y - y**2",
            "b97cb0bfb29dda1883f7dc92aac3ea94ce1c7704502f27cf0edd183e4014b19a"),
    "predprey1": ("predator-prey", "x*(4 - x - y/(1 + x))",
                  "07788bf32267922603d2ed077e7a6f46c04e8adf6522ee7218f9951363e021fe"),
    "predprey2": ("predator-prey", "y*(x/(1 + x) - 0.075*y)",
                  "551969817a9b3e74868855dc3c258b47f1e359bd23ae17b167817cc695e66a7b"),
    "shearflow1": ("shear flow", "cot(y)*cos(x)",
                   "3e52e15bddf15851c659992c3aecb535b60b5638caf18a3e429cc4c942bd61af"),
    "shearflow2": ("shear flow", "(cos(y)**2 + 0.1*sin(y)**2)*sin(x)",
                   "369478d7a78d7adfe3d021e5afbee949b759d6a3c9f8360208b11b7ce31f2df4"),
    "vdp1": ("van der Pol oscillator", "10*(y - (x**3 - x)/3)",
             "725e38df456b38db61053711e31aa453dfd93e049f8dd79cfc215ac050474f61"),
    "vdp2": ("van der Pol oscillator", "-x/10",
             "80469d95fe5a4594ae50e5ac7ccb5fd839f97bb05cb4be97ba3beecdbd14fa49"),
}


def _strogatz(task: str, system: str, law: str, sha256: str) -> DatasetInfo:
    state = "x" if task.endswith("1") else "y"
    url, source = github_raw(_REPO, _COMMIT, f"d_{task}.txt")
    return DatasetInfo(
        name=f"strogatz_{task}",
        description=f"Strogatz ODE benchmark, {system}: d{state}/dt from the states (x, y), "
                    f"400 noise-free samples",
        folder="strogatz_ode", file=f"strogatz_{task}.csv", url=url, source=source, sha256=sha256,
        citation=_CITATION, licence="GPL-3.0 (LICENSE of lacava/ode-strogatz)", n_rows=400,
        columns=(ColumnInfo("label", None, f"time derivative d{state}/dt of the state {state}"),
                 ColumnInfo("x", None, "first state variable"),
                 ColumnInfo("y", None, "second state variable")),
        target="label", task="regression", features=("x", "y"),
        notes=(f"true law: d{state}/dt = {law} (cot = 1/tan)",
               f"downloaded from the upstream name d_{task}.txt and stored as strogatz_{task}.csv",
               "dimensionless benchmark: no units"),
    )


BENCHMARK_DATASETS: tuple[DatasetInfo, ...] = tuple(
    _strogatz(task, system, law, sha256) for task, (system, law, sha256) in _TASKS.items()
)
