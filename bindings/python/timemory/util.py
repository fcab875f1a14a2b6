"""Region markers: decorators and context managers recording into the call graph."""

from timemory import _timemory

Marker = _timemory.Marker
MarkedFunction = _timemory.MarkedFunction

__all__ = ["Marker", "MarkedFunction", "auto_timer", "marker"]


def marker(components, key=None):
    """Records `components` (names such as "wall_clock", or component classes)
    for a region.

    As a decorator the region is named `key` or the function's __name__, and
    every call is one sample; as a context manager it is `key` or the name of
    the enclosing function. An exception raised inside still closes the region.
    The component list is parsed here, once: calls only begin and end it.
    """
    return Marker(components, key)


def auto_timer(key=None):
    """marker(["wall_clock"], key)."""
    return Marker(["wall_clock"], key)
