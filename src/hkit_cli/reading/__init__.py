"""Reading and validating: bytes to text to YAML to the schema and the records, every
problem located; the pipeline that reads a file once, and the cache keyed by its bytes."""
