# The one version of timemory-c. Everything that reports a version reads it
# from here: tm_version() and the tools' --version (through the generated
# timemory_version.h), timemory.__version__, the wheel's file name and
# metadata, and the installed timemory.pc.
TIMEMORY_VERSION = "0.1.0"
