"""Hypothesis strategies shared by the tests: random law expressions over x0, x1, x2."""

from __future__ import annotations

import sympy as sp
from hypothesis import strategies as st

from lawfind.law import internal_symbol

_leaves = st.one_of(
    st.sampled_from([internal_symbol(i) for i in range(3)]),
    st.floats(min_value=-50, max_value=50, allow_nan=False, allow_infinity=False)
    .filter(lambda v: abs(v) > 1e-3)
    .map(sp.Float),
    st.integers(min_value=1, max_value=5).map(sp.Integer),
)


def _extend(children):
    return st.one_of(
        st.tuples(children, children).map(lambda ab: ab[0] + ab[1]),
        st.tuples(children, children).map(lambda ab: ab[0] * ab[1]),
        st.tuples(children, children).map(lambda ab: ab[0] - ab[1]),
        st.tuples(children, children).map(lambda ab: ab[0] / (1 + ab[1] ** 2)),
        children.map(lambda a: sp.exp(-(a**2))),
        children.map(lambda a: sp.sqrt(1 + a**2)),
        children.map(lambda a: sp.log(2 + a**2)),
        children.map(lambda a: sp.tanh(a)),
    )


expressions = st.recursive(_leaves, _extend, max_leaves=8)
