"""The pose vocabulary: one small loader for the data files shipped in `illustration/data/`.

- `body.json`: the drawn body (segment lengths from anthropometric proportions, outline balls);
- `joints.json`: the joints a pose may adjust, each movement's range of motion, and their names
  in the sheet's languages;
- `postures.json`: the base postures (default joint angles, how the body lies in the world,
  what it rests on) and their names;
- `landmarks.json`: named places on the body that props touch and checks talk about;
- `props.json`: the props, their size and how they are drawn;
- `words.json`: the sentences of the generated alt text, per language;
- `style.json`: colours and line widths of the one drawing style.

Each file is read once, on first use: nothing is loaded when `protokit validate` starts, and a
protocol without poses never reads them.
"""

from __future__ import annotations

from functools import cache

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.package_data import read_json

if TYPE_CHECKING:
    from typing import Any

FILES = ("body", "joints", "postures", "landmarks", "props", "words", "style")


@cache
def load(name: str) -> Any:
    """The parsed data file `name` (one of FILES), read once per process."""
    if name not in FILES:
        raise KeyError(f"no pose vocabulary file {name!r}")
    return read_json("protocol_kit.illustration", f"data/{name}.json")


def body() -> dict[str, Any]:
    return load("body")


def joints() -> dict[str, Any]:
    """Joint name (`right_hip`, `lumbar`) -> its kind, axes, movements and names, in the order
    poses list them."""
    return load("joints")["joints"]


def movement_names() -> dict[str, Any]:
    """Movement (`flexion`) -> its words per language, `{d}` standing for the angle."""
    return load("joints")["movement_names"]


def postures() -> dict[str, Any]:
    return load("postures")["postures"]


def landmarks() -> dict[str, Any]:
    return load("landmarks")["landmarks"]


def props() -> dict[str, Any]:
    return load("props")["props"]


def prop_positions() -> dict[str, Any]:
    """Where a prop is against its landmark (`under`, `behind`, `in-front`) -> words."""
    return load("props")["positions"]


def words(language: str) -> dict[str, Any]:
    return load("words")["languages"][language]


def style() -> dict[str, Any]:
    return load("style")


def languages() -> tuple[str, ...]:
    """The languages every name in the vocabulary is given in (the sheet's languages)."""
    return tuple(load("words")["languages"])
