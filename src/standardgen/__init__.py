"""standardgen: Danish municipal quality standards as validated YAML, and the documents made
from them."""

__version__ = "0.1.0"
