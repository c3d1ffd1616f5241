"""JSON text and its places: the line and column of a JSON pointer, and the pointer's own tokens
(`pointers`: escaped and read back by one pair)."""
