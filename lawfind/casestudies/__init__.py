"""Case studies on real data: each writes a run, figures, LaTeX and a short Markdown summary.

Registered studies (``lawfind case-study NAME [--quick] [--out DIR]``, or the scripts in
``case_studies/``):

* ``steel_hardness`` — tensile and fatigue strength against hardness (NIMS, 360 steels),
  compared with Pavlina & Van Tyne (2008) and the rule fatigue ≈ 0.5 × tensile strength;
* ``steel_composition`` — composition → yield strength (312 steels), law against black
  boxes under nested cross-validation (Matbench ``matbench_steels``);
* ``steel_fatigue`` — composition and processing → fatigue strength (NIMS, 437 steels;
  Agrawal et al. 2014);
* ``octet_binaries`` — rocksalt/zincblende energy difference of 82 octet binaries from
  atomic descriptors (Ghiringhelli et al. 2015).

Each study writes ``summary.md`` and ``headline.json`` (the numbers quoted in
``docs/case_studies.md``) plus run folders, an HTML report, LaTeX and figures.

>>> from lawfind.casestudies import run_case_study            # doctest: +SKIP
>>> result = run_case_study("steel_hardness", quick=True, out="runs/hardness")  # doctest: +SKIP
>>> result.headline["uts_r2"]                                  # doctest: +SKIP
0.9845...
"""

from lawfind.casestudies._base import (
    DEFAULT_ROOT,
    HEADLINE_FILE,
    SUMMARY_FILE,
    CaseStudy,
    CaseStudyResult,
    Context,
    get_case_study,
    list_case_studies,
    read_headline,
    run_case_study,
)
# importing a study module registers it; this order is the order of list_case_studies()
from lawfind.casestudies import _steel_hardness  # noqa: E402, F401, I001
from lawfind.casestudies import _steel_composition  # noqa: E402, F401, I001
from lawfind.casestudies import _steel_fatigue  # noqa: E402, F401, I001
from lawfind.casestudies import _octet  # noqa: E402, F401, I001
from lawfind.casestudies import _perovskite  # noqa: E402, F401, I001
from lawfind.casestudies import _double_perovskite  # noqa: E402, F401, I001
from lawfind.casestudies import _glass  # noqa: E402, F401, I001

__all__ = [
    "run_case_study",
    "list_case_studies",
    "get_case_study",
    "read_headline",
    "CaseStudy",
    "CaseStudyResult",
    "Context",
    "HEADLINE_FILE",
    "SUMMARY_FILE",
    "DEFAULT_ROOT",
]
