"""Subcommands of the ``newsharvest`` command; each module has ``add_parser`` and ``run``."""
