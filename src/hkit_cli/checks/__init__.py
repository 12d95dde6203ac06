"""Rules across records (ids, references, counting), run as a list of passes; findings
are returned as values, never raised."""
