"""The approval cycle: compare two versions of a standard and show the changes.

``compare`` builds one structured diff; ``terminal``, ``html`` and ``word`` render it. Wording of
every output lives in ``templates/diff/``.
"""
