"""Build hook: the built-in templates ship inside the package.

`templates/` at the top of the repository stays the one place they are edited (the design card's
layout, and where `standardgen` finds them in a checkout); building a wheel copies the whole folder
to `standardgen/templates/`, so a template, font or Word file added there ships with no edit here.
Everything else about the package is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# Tools that make templates, and caches: not needed at run time.
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "*.py", ".*")


class BuildWithTemplates(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads templates/ of the checkout itself
        root = Path(__file__).resolve().parent
        # The templates, and the fictitious example cases with their standards (one complete
        # case per letter kind: `standardgen new --examples`).
        for source, name in ((root / "templates", "templates"),
                             (root / "examples" / "solbakke", "examples")):
            target = Path(self.build_lib) / "standardgen" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target, ignore=LEFT_OUT)


setup(cmdclass={"build_py": BuildWithTemplates})
