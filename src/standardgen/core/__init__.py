"""The ground floor: what every other layer stands on, knowing nothing of standards or cases.

YAML read with line numbers (``yamlsource``), located problems (``problems``), validation of
YAML against a model with Danish messages (``validation``), shared value shapes (``patterns``,
``text``), CPR numbers (``cpr``), inline markup (``markup``), Danish dates (``dates``), guidance
markers (``guidance``), where templates are found (``templates``), atomic and private file
writing (``fileio``) and the worker pool of batches (``pool``).
"""
