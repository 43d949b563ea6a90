"""Checks of a built public site (`laomo check`)."""
