"""ipywidgets front ends: thin controllers over the models, testable without a browser.

Each widget module imports ipywidgets only when a widget is built.
"""
