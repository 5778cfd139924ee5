"""``standardgen import``: a Word standard read into YAML (``wordfile`` reads the document,
``structure`` and ``vocabulary`` give its headings their roles, ``yamlout`` writes the YAML), and a
revised Word file laid onto an existing standard (``onto``), keeping its comments.
"""
