"""Use cases: each module turns a command's parsed options into calls on the core."""
