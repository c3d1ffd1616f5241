"""One module per rule; `protocol_kit.lint.registry` lists them."""
