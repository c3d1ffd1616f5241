"""Reading places in a JSON document's text: the line and column of a JSON pointer."""
