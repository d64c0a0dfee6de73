"""`sitrep serve`: the analyst's workbench over the store (see ``app.py``)."""
