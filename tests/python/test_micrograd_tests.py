"""micrograd's own tests, run unchanged against this package.

tests/python/micrograd_reference/test/test_engine.py is karpathy/micrograd's test file as it is
in micrograd's repository (it compares with PyTorch, so it needs python3-torch). Its
`from micrograd.engine import Value` finds this package, the only micrograd on the path; each of
its test_* functions becomes one test here (micrograd runs them with pytest; they are plain
functions with asserts, so no pytest is needed).
"""
import importlib.util
import inspect
import unittest
from pathlib import Path

from requirements import require

require("torch", "python3-torch")

import micrograd  # noqa: E402
import micrograd.engine  # noqa: E402

MICROGRAD_TESTS = Path(__file__).resolve().parent / "micrograd_reference" / "test" / "test_engine.py"


def load_micrograds_tests():
    spec = importlib.util.spec_from_file_location("micrograd_test_engine", MICROGRAD_TESTS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


micrograds_tests = load_micrograds_tests()


class MicrogradsOwnTests(unittest.TestCase):
    def test_they_run_on_this_package(self):
        self.assertIs(micrograds_tests.Value, micrograd.engine.Value)
        self.assertTrue(hasattr(micrograd, "_core"), "the C++ engine, not micrograd's engine.py")


for name, function in inspect.getmembers(micrograds_tests, inspect.isfunction):
    if name.startswith("test_"):
        setattr(MicrogradsOwnTests, name, lambda self, function=function: function())

if __name__ == "__main__":
    unittest.main(verbosity=2)
