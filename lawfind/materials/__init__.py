"""Composition featurization (the ``materials`` extra: ``pip install "lawfind[materials]"``).

* :func:`composition_features` — Magpie-style fraction-weighted statistics (mean, min,
  max, range, average deviation, mode) of elemental properties from pymatgen's offline
  periodic table, for a column of composition strings; lawfind computes them itself, so
  it works with pandas 2 and 3 and needs no matminer;
* :class:`CompositionFeaturizer` — those options as one object, for
  ``discover(..., composition=...)``;
* :func:`element_properties` — the property table (name, pymatgen source, unit);
* :func:`ionic_features` — tolerance factor t, octahedral factor, tau, radius and charge
  ratios from given site radii and oxidation states;
* :func:`radius_ratios` — the three dimensionless ratios of the site radii (primary features
  for a descriptor search);
* :func:`shannon_radius` — Shannon radii by (element, oxidation state, coordination);
* :func:`atomic_percent` — alloy contents from wt% to at%, with a balance element (Fe for
  steels) making up the rest.

pymatgen is imported only when a function needs it.

>>> import pandas as pd
>>> from lawfind.materials import composition_features
>>> features = composition_features(pd.DataFrame({"formula": ["NaCl", "MgO"]}), "formula")
>>> features.shape
(2, 120)
"""

from lawfind.materials._alloy import atomic_percent
from lawfind.materials._composition import DEFAULT_STATS, STATS, CompositionFeaturizer, composition_features
from lawfind.materials._elements import ELEMENT_PROPERTIES, PROPERTY_SETS, ElementProperty, element_properties
from lawfind.materials._ionic import ionic_features, radius_ratios, shannon_radius

__all__ = [
    "composition_features",
    "CompositionFeaturizer",
    "element_properties",
    "ElementProperty",
    "ELEMENT_PROPERTIES",
    "PROPERTY_SETS",
    "STATS",
    "DEFAULT_STATS",
    "ionic_features",
    "radius_ratios",
    "shannon_radius",
    "atomic_percent",
]
