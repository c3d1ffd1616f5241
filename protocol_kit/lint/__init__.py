"""Clinical safety lint: named rules a JSON Schema cannot express.

`base` defines the one rule signature, `registry` lists every rule, `engine` applies the
configuration (select, ignore, severities), stamps severities, and applies the suppressions a
protocol declares. `protokit validate` runs the engine on every schema-valid protocol.
"""
