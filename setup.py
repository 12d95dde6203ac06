"""Build hook: ship the bundled dataset already validated (see hkit_cli.reading.cache).

Everything else about the package is in pyproject.toml.
"""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithValidatedData(build_py):
    """After copying the package, validate its bundled dataset with the code being built."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install validates on first use and caches as usual
        built = Path(self.build_lib)
        sys.path.insert(0, str(built))
        try:
            from hkit_cli.reading import cache

            cache.write_shipped(built / "hkit_cli" / "data" / "initiatives.validated")
        finally:
            sys.path.remove(str(built))
            for name in [m for m in sys.modules if m == "hkit_cli" or m.startswith("hkit_cli.")]:
                del sys.modules[name]


setup(cmdclass={"build_py": BuildWithValidatedData})
