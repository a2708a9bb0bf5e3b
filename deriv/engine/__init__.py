"""Deciding one equality of index expressions: symbolic proof and random tests."""
