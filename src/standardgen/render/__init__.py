"""Machinery shared by every renderer: Jinja environments, the PDF and Word engines.

Renderers (site, letters, forms, diff) decide which files go where; templates in ``templates/``
decide what the files say.
"""
