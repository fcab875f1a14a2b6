"""The C settings (core/settings.def) as typed attributes of this module.

    import timemory
    timemory.settings.auto_output = False
    timemory.settings.precision = 6

Reads and writes go through tm_settings_get/tm_settings_set, so the C core
validates every value: an invalid one raises ValueError with its message, a
value of the wrong Python type raises TypeError, an unknown name
AttributeError.
"""

import os
import sys
import types

from timemory import _timemory

# name -> (name, env, type, default, choices, description)
_SETTINGS = {row[0]: row for row in _timemory.settings_list()}
_TRUE = ("1", "true", "on", "yes")


def _from_text(kind, text):
    if kind == "bool":
        return text.strip().lower() in _TRUE
    if kind == "int":
        return int(text)
    return text


def _component_name(item):
    if isinstance(item, str):
        return item
    if isinstance(item, type) and isinstance(getattr(item, "name", None), str):
        return item.name  # a timemory.component class
    raise TypeError("components must be names or component classes, not {}".format(
        type(item).__name__))


def _to_text(name, kind, value):
    """The C text of `value`, or TypeError when its Python type does not fit."""
    if kind == "bool":
        if isinstance(value, (bool, int)):
            return "1" if value else "0"
        if isinstance(value, str):
            return value  # "on", "false", ... validated by C
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    elif kind == "components":
        if isinstance(value, str):
            return value
        if isinstance(value, (list, tuple, set, frozenset)):
            return ",".join(_component_name(v) for v in value)
    else:
        if isinstance(value, (str, os.PathLike)):
            text = os.fspath(value)
            if isinstance(text, str):
                return text
    raise TypeError("timemory.settings.{} takes {}, not {}".format(
        name, {"bool": "a bool", "int": "an int", "components": "a list of component names"}
        .get(kind, "a str"), type(value).__name__))


def _property(row):
    name, env, kind, default, choices, description = row

    def fget(_self):
        return _from_text(kind, _timemory.settings_get(name))

    def fset(_self, value):
        _timemory.settings_set(name, _to_text(name, kind, value))

    doc = "{} ({}; default {!r}{}; environment {})".format(
        description, kind, default, "; one of " + choices.replace("|", ", ") if choices else "",
        env)
    return property(fget, fset, doc=doc)


# Names of the reference toolkit (NERSC/timemory) for our settings. Ours has
# one precision and one width for every category, so the per-category names
# read and write that one value; file_output is text_output and json_output.
ALIASES = {
    "global_components": ("components",),
    "timing_precision": ("precision",),
    "memory_precision": ("precision",),
    "timing_width": ("width",),
    "memory_width": ("width",),
    "file_output": ("text_output", "json_output"),
}


def _alias(alias, targets):
    rows = [_SETTINGS[t] for t in targets]

    def fget(_self):
        values = [_from_text(row[2], _timemory.settings_get(row[0])) for row in rows]
        return any(values) if rows[0][2] == "bool" else values[0]

    def fset(_self, value):
        texts = [_to_text(alias, row[2], value) for row in rows]  # check all first
        for row, text in zip(rows, texts):
            _timemory.settings_set(row[0], text)

    return property(fget, fset, doc="The reference toolkit's name for {}.".format(
        " and ".join(targets)))


class _SettingsModule(types.ModuleType):
    """Module whose setting attributes live in the C core."""

    def __setattr__(self, name, value):
        if (name in _SETTINGS or name in ALIASES or name.startswith("__") or
                name in self.__dict__):
            super().__setattr__(name, value)
            return
        # A typo must not silently create an attribute the core never sees.
        raise AttributeError("no timemory setting named {!r} (valid: {})".format(
            name, ", ".join(sorted(_SETTINGS))))

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(_SETTINGS) | set(ALIASES))


for _row in _SETTINGS.values():
    setattr(_SettingsModule, _row[0], _property(_row))
del _row
for _name, _targets in ALIASES.items():
    setattr(_SettingsModule, _name, _alias(_name, _targets))
del _name, _targets


def names():
    """Every setting name, in settings.def order."""
    return list(_SETTINGS)


sys.modules[__name__].__class__ = _SettingsModule
