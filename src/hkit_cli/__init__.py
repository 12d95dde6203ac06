"""hkit: a cited, checked tracker of Hong Kong's public funding for innovation and technology."""

__version__ = "0.3.0"
