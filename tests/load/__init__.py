"""Tests of generator.load."""
