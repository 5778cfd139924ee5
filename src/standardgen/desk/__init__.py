"""``standardgen desk``: the caseworker's desk, a local web app for one letter or a CSV batch.

It holds no pipeline of its own: a form becomes the same case YAML that ``standardgen letter``
reads, checked by the same validation and letter rules, and rendered by the same renderers.
"""
