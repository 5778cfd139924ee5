"""New files from guidance: ``standard`` writes a new standard with every section to fill in
(``standardgen new``), ``repository`` a municipality's whole new repository (``standardgen init``).
"""
