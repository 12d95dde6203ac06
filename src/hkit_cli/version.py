"""The package's version, kept apart so that any layer can name it (the cache stamps its
entries with it) without importing the package's front door."""

__version__ = "0.3.0"
