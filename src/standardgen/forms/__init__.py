"""Follow-up forms (opfølgningsskemaer): fillable PDF and Word from a case and its standard,
and a filled-in PDF read back into a validated follow-up record.

``build`` plans and writes forms, ``render`` turns one form's data into PDF and Word,
``readback`` reads a filled PDF, ``fields`` is the field-name contract between the two.
"""
