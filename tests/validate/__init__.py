"""Tests of generator.validate."""
