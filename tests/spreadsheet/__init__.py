"""Tests of plans to and from spreadsheets (issue 10)."""
