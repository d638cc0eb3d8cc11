"""archkit: a Jupyter kit for designing backend systems.

Usage::

    import archkit
    print(archkit.__version__)

Stage packages (``archkit.brainstorm``, ``archkit.schema``, ``archkit.c4``,
``archkit.adr``) are imported on demand, so ``import archkit`` stays fast.
"""

from archkit.errors import ArchkitError, Where

__version__ = "0.1.0"

__all__ = ["ArchkitError", "Where", "__version__"]
