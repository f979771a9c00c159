"""The exercise checker's parts (./check runs tools/check.py, which imports them)."""
