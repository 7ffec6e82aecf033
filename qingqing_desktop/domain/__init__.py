"""Domain: dataclasses and rules. No I/O, no Qt."""
