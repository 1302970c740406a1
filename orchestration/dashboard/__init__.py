"""The dashboard site (site.py) drawn from the published file (data.py)."""
