"""Unit constants of the reference toolkit (NERSC/timemory's timemory.units).

Times are in nanoseconds and sizes in bytes, the raw units of get_raw(),
get_value() and record():

    WallClock.record() / timemory.units.sec     # seconds since boot
    PeakRss("x").get_raw() / timemory.units.megabyte

The binary sizes (kibibyte, ...) are the reference's C++ units.hpp; its
Python module has only the decimal ones.
"""

nsec = 1
usec = 1000 * nsec
msec = 1000 * usec
csec = 10 * msec
dsec = 10 * csec
sec = 10 * dsec
min = 60 * sec  # noqa: A001 -- the reference's name
hr = 60 * min

byte = 1
kilobyte = 1000 * byte
megabyte = 1000 * kilobyte
gigabyte = 1000 * megabyte
terabyte = 1000 * gigabyte
petabyte = 1000 * terabyte

kibibyte = 1024 * byte
mebibyte = 1024 * kibibyte
gibibyte = 1024 * mebibyte
tebibyte = 1024 * gibibyte
pebibyte = 1024 * tebibyte

__all__ = ["nsec", "usec", "msec", "csec", "dsec", "sec", "min", "hr",
           "byte", "kilobyte", "megabyte", "gigabyte", "terabyte", "petabyte",
           "kibibyte", "mebibyte", "gibibyte", "tebibyte", "pebibyte"]
