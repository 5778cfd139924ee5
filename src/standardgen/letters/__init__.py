"""Decision letters (afgørelser) per citizen, as tagged PDF and editable Word.

``run.write_letters`` is the entry point. This package file stays empty on purpose: the worker
processes import ``letters.batch`` and must not pull in the case model and the standards.
"""
