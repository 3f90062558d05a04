"""What each checker script here (and tests/mpxj/crosscheck.py) does first.

A script takes one argument, a file; it is skipped (exit status 2, the reason printed) when a
package it needs is not installed, so the Rust test that runs it can say why it skipped.
"""

import importlib
import sys


def begin(doc, *packages):
    """The script's one argument, once every package in `packages` imports; with "mpxj" among
    them, MPXJ's Java VM is started too (importing `mpxj` puts its jars on the class path).
    None, with the usage (`doc`) or the reason for skipping printed, otherwise."""
    if len(sys.argv) != 2:
        print(doc)
        return None
    try:
        for package in packages:
            importlib.import_module(package)
    except ImportError as e:
        print(f"skip: {e}")
        return None
    if "mpxj" in packages:
        import jpype

        jpype.startJVM()
    return sys.argv[1]
