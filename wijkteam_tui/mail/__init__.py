"""Mail the team sends: through its SMTP server (smtp.py)."""
