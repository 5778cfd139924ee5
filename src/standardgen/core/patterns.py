"""The shapes of the short values every YAML format shares, as regular expressions.

Declared once, below the models, because validation turns a mismatch with each of them into its
own Danish message (:mod:`standardgen.core.validation`), and models in every layer use them.
"""

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
URL = r"^(https?://|mailto:)\S+$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
