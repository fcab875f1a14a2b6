"""The .pyi stubs shipped in the package describe what the package has."""

import ast
import os
import sys

import pytest

import timemory
import timemory.component
import timemory.settings
import timemory.storage
import timemory.util


def _stub(module):
    path = os.path.splitext(module.__file__)[0] + ".pyi"
    assert os.path.exists(path), "no stub beside " + module.__file__
    with open(path, encoding="utf-8") as handle:
        return ast.parse(handle.read(), path)


def _annotated_names(tree):
    return {node.target.id for node in tree.body if isinstance(node, ast.AnnAssign)}


def _defined_names(tree):
    return {node.name for node in tree.body
            if isinstance(node, (ast.ClassDef, ast.FunctionDef))}


def test_settings_stub_lists_every_setting_with_its_type():
    tree = _stub(timemory.settings)
    names = _annotated_names(tree)
    assert names == set(timemory.settings.names())
    kinds = {node.target.id: node.annotation.id for node in tree.body
             if isinstance(node, ast.AnnAssign)}
    for name in names:
        assert isinstance(getattr(timemory.settings, name), {"bool": bool, "int": int, "str": str}[kinds[name]]), name


def test_util_stub_defines_the_public_api():
    assert {"marker", "auto_timer", "Marker", "MarkedFunction"} <= _defined_names(_stub(timemory.util))


@pytest.mark.parametrize("module", [timemory.component, timemory.storage])
def test_generated_stubs_define_every_class(module):
    defined = _defined_names(_stub(module))
    # the classes the module defines (one per table row), not base classes it imports
    public = {name for name in dir(module)
              if isinstance(getattr(module, name), type) and not name.startswith("_")
              and getattr(module, name).__module__ == module.__name__}
    assert len(public) >= 2
    assert public <= defined


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
