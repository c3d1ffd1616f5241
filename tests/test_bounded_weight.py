"""`bounded.weight` and the weighing of a cache's arguments, written with loops for speed
(issue 17), give the sums of their plain definition: the caches' budgets, and so what they
hold and when they start again, are unchanged."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_kit.bounded import _DEPTH, _SMALL, _new_parts, weight
from protocol_kit.findings import Severity
from protocol_kit.lint.base import Problem


def _plain_weight(value, depth=0):
    """The definition: a value's size and its parts', each part weighed the same way."""
    kind = type(value)
    if kind in (str, bytes, int, float):
        return sys.getsizeof(value)
    if value is None or kind is bool:
        return 0
    if depth >= _DEPTH:
        return _SMALL
    if kind in (tuple, list, frozenset, set):
        return sys.getsizeof(value) + sum(_plain_weight(item, depth + 1) for item in value)
    if kind is dict:
        return sys.getsizeof(value) + sum(
            _plain_weight(k, depth + 1) + _plain_weight(v, depth + 1) for k, v in value.items()
        )
    slots = getattr(kind, "__slots__", None)
    if isinstance(slots, tuple) and slots:
        return sys.getsizeof(value) + sum(
            _plain_weight(getattr(value, name, None), depth + 1) for name in slots
        )
    return sys.getsizeof(value)


def _plain_new_parts(args, kwargs):
    return sum(
        _plain_weight(value)
        for value in (*args, *kwargs.values())
        if type(value) in (str, bytes, tuple, frozenset)
    )


_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.binary(max_size=30),
    st.builds(Problem, st.text(max_size=10), st.text(max_size=20)),
    st.sampled_from([Severity.ERROR, object()]),
)
_values = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.frozensets(st.text(max_size=8), max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_weight_is_its_plain_definition(value):
    assert weight(value) == _plain_weight(value)


@settings(max_examples=200, deadline=None)
@given(st.lists(_values, max_size=4), st.dictionaries(st.text(max_size=5), _values, max_size=2))
def test_the_arguments_weigh_what_their_plain_definition_does(args, kwargs):
    assert _new_parts(tuple(args), kwargs) == _plain_new_parts(tuple(args), kwargs)


def test_a_deep_value_weighs_more_than_nothing_and_is_counted_to_the_depth():
    deep = ("a" * 100,)
    for _ in range(_DEPTH + 2):
        deep = (deep, "b" * 50)
    assert weight(deep) == _plain_weight(deep) > 100
