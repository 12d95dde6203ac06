"""Rendering and export: a Table for people (rich, only here), CSV, JSON, Markdown,
SQLite, charts and the HTML report."""
