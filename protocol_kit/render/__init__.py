"""PDF prescription sheets. The only package that imports reportlab (inside its modules, which
only `protokit render` and `protokit build` import)."""
