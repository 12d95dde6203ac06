"""Requests, filters and reports: pure aggregation into one Table per report."""
