"""One module per verified claim; :mod:`verification.registry` lists them."""
