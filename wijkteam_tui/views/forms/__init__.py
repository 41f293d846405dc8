"""The recording forms: one module per form, on the framework in `base.py`."""
