"""The clinic profile's own checks: what its numbers may be, before any sheet prints them."""
