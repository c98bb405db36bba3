"""The predictions tracker: every forecast the blog made, read back, charted and put to use.

``dates`` reads a predicted date, ``section`` finds the predictions in a post's section (used
by the post model), ``events`` normalises event names, ``tracker`` reads every post of a
branch, ``chart`` draws the SVG, ``page`` writes the Hugo page and ``command`` is the CLI.
This package imports nothing from the post model at import time, so ``post`` can use it.
"""
