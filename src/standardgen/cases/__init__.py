"""A citizen's case: its model, reading it from YAML and CSV, every case rule, the letter kinds
(``data/letter_kinds.yaml``), the wording file the letters and rules share, the follow-up record
and the follow-up chain (a change decision built on a case and its follow-up), and the JSON
Schemas of the YAML formats.
"""
