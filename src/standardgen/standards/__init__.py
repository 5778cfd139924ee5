"""A quality standard: its model, the service profiles that say what each paragraph needs, the
loaded catalogue with every rule a standard is checked by, revision dates, plain language (LIX),
and the metadata a Word document carries back on import.
"""
