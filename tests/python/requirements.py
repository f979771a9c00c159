"""What a Python test needs beyond the package itself.

require() imports a module or ends the test with exit status 77, which ctest reports as skipped
(SKIP_RETURN_CODE in tests/python/CMakeLists.txt), never as passed.
"""
import importlib
import sys

SKIPPED = 77


def require(module, package):
    try:
        return importlib.import_module(module)
    except ImportError as error:
        print(f"SKIPPED: this test needs {module} ({error}); install it with "
              f"`sudo apt-get install {package}` (scripts/install_deps.sh --test does)")
        sys.exit(SKIPPED)
