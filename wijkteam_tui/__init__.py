"""wijkteam: a terminal case register that keeps people duurzaam in beeld."""

import os

__version__ = "0.1.0"

# Textual draws at most 60 frames a second, so a changed list waits up to 17 ms for its frame;
# at 120 a keystroke's new search results reach the screen sooner. Frames are drawn only when
# something changed, so an idle screen costs nothing more. Set before Textual is imported.
os.environ.setdefault("TEXTUAL_FPS", "120")
