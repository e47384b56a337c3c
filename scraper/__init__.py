"""Feeds and pages in, stories and hits out."""
