"""Builds the Python package micrograd with the project's CMake build (see pyproject.toml).

setuptools does the packaging (the Python files of python/micrograd/, the wheel, the editable
install); the extension module micrograd._core is built by CMake, configured with everything but
the Python package switched off (no tests, examples, benchmarks, exercises, plots or install
rules) and built as the one target micrograd_python, for the interpreter that runs this script.

The CMake build folder is build/python-package/ in the source tree (beside the presets' build/
folders), kept between runs so that a second `pip install` or an editable rebuild compiles only
what changed. Settings, from the environment:

    CMAKE_BUILD_PARALLEL_LEVEL   compile jobs (default: every core, as -j$(nproc))
    MICROGRAD_CMAKE_ARGS         more arguments for CMake's configure step, space-separated
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE = Path(__file__).resolve().parent
CMAKE_BUILD = SOURCE / "build" / "python-package"


def project_version():
    """CMakeLists.txt's `project(micrograd VERSION x.y.z ...)`: one version for C++ and Python."""
    text = (SOURCE / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(micrograd\s+VERSION\s+([0-9.]+)", text)
    if not match:
        sys.exit("setup.py: CMakeLists.txt has no project(micrograd VERSION x.y.z)")
    return match.group(1)


class CMakeExtension(Extension):
    """micrograd._core, whose sources CMake knows (python/CMakeLists.txt), not setuptools."""

    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, extension):
        cmake = shutil.which("cmake")
        if cmake is None:
            sys.exit("setup.py: cmake was not found: sudo apt-get install cmake "
                     "(scripts/install_deps.sh installs everything the package needs)")
        configure = [
            cmake, "-S", str(SOURCE), "-B", str(CMAKE_BUILD),
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython_EXECUTABLE={sys.executable}",  # the interpreter pip runs: the venv's
            "-DMICROGRAD_BUILD_PYTHON=ON",
            "-DMICROGRAD_BUILD_TESTS=OFF", "-DMICROGRAD_BUILD_EXAMPLES=OFF",
            "-DMICROGRAD_BUILD_BENCHMARKS=OFF", "-DMICROGRAD_BUILD_EXERCISES=OFF",
            "-DMICROGRAD_BUILD_PLOTS=OFF", "-DMICROGRAD_INSTALL=OFF",
        ] + shlex.split(os.environ.get("MICROGRAD_CMAKE_ARGS", ""))
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        build = [cmake, "--build", str(CMAKE_BUILD), "--target", "micrograd_python", "-j", jobs]
        subprocess.run(configure, check=True)
        subprocess.run(build, check=True)

        built = sorted((CMAKE_BUILD / "python" / "micrograd").glob("_core*.so"))
        if not built:
            sys.exit(f"setup.py: CMake built no micrograd/_core*.so in {CMAKE_BUILD / 'python'}; "
                     "its configure step above says why (python3-dev or pybind11-dev missing?)")
        target = Path(self.get_ext_fullpath(extension.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[-1], target)


setup(
    version=project_version(),
    ext_modules=[CMakeExtension("micrograd._core")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
