"""The built-in note templates, one TOML file each (the same format as user templates)."""
