"""The team's mail: the SMTP server it sends through (models.py, config.py)."""
