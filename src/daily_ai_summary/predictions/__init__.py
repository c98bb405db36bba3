"""The predictions tracker: every forecast the blog made, read back, charted and put to use.

The post model reads a post's predictions (``prediction_items``, with dates from
``prediction_dates``); here ``events`` normalises event names, ``tracker`` reads every post of
a blog, ``chart`` draws the SVG, ``page`` writes the Hugo page, ``site`` gives a run the files
to commit, ``context`` the blog's recent forecasts for the prompt, and ``command`` is the CLI.
"""
