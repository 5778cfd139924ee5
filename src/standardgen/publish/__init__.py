"""Publishing: every standard as a web page, an accessible PDF, a Word document and JSON.

``documents`` decides what each file says (template contexts), ``build`` which files are rendered
and written (incremental, atomic, parallel PDF), ``serve`` previews the site while staff edit.
"""
